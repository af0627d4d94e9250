"""Build the knowledge base (one SQLite file) from the source guides.

sources → layout parsers → rows (with provenance) → overrides → SQLite with a
full-text index. Deterministic: the same sources give the same file contents.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
from dataclasses import asdict
from pathlib import Path

import jieba
import sqlite_utils
import yaml

from bot import paths
from bot.kb.manifest import GuideEntry, load_manifest
from bot.kb.overrides import apply_overrides, load_overrides
from bot.kb.pairing import pair_services
from bot.kb.parsers.text import read_lines
from bot.kb.records import ParsedGuide, ParsedService
from bot.kb.region_resolver import RegionResolver
from bot.kb.regions import Region, build_regions, relabel
from bot.kb.schema import TABLES
from bot.kb.timelimit import normalise_time_limit

CITY_LEVEL_AREA = "市本级"


def parse_entry(entry: GuideEntry, sources: Path = paths.SOURCES) -> ParsedGuide:
    """Run the entry's layout parser over its file."""
    parser = importlib.import_module(f"bot.kb.parsers.{entry.layout}")
    return parser.parse(read_lines(sources / entry.file))


def area_paths(
    entries: list[GuideEntry], parsed: dict[str, ParsedGuide], regions: list[Region]
) -> dict[tuple[str, str], str | None]:
    """The region path of every contact area of every guide, relabelling places the guides name
    differently."""

    def lookup(resolver: RegionResolver, entry: GuideEntry, area: str) -> str | None:
        if not area:
            return None
        if area == CITY_LEVEL_AREA:
            return entry.scope[0]
        inside = [
            p for p in resolver.by_name.get(area, []) if p.startswith(tuple(s + "/" for s in entry.scope))
        ]
        return inside[0] if len(inside) == 1 else None

    areas = sorted({(e.key, c.area) for e in entries for s in parsed[e.key].services for c in s.contacts})
    by_key = {entry.key: entry for entry in entries}
    resolver = RegionResolver(regions)
    for key, area in areas:
        path = lookup(resolver, by_key[key], area)
        if path and area != CITY_LEVEL_AREA and path.rsplit("/", 1)[-1] != area:
            relabel(regions, path, area)
    resolver = RegionResolver(regions)
    return {(key, area): lookup(resolver, by_key[key], area) for key, area in areas}


def same_service_groups(path: Path) -> list[set[str]]:
    """Names that different guides give one 事项 (``same_service`` in the service aliases file)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [{name, *others} for name, others in (data.get("same_service") or {}).items()]


def service_rows(
    entry: GuideEntry,
    services: list[ParsedService],
    pairs: dict[int, ParsedService],
    compared: str | None,
    groups: list[set[str]],
) -> list[dict]:
    """Rows of the services table. Codes of the compared document are added where ours lack them; its
    name and the other guides' names for the same 事项 become aliases; ``twin`` is its row id."""
    rows = []
    for service in services:
        twin = pairs.get(service.seq)
        codes = dict(service.codes) or (dict(twin.codes) if twin else {})
        aliases = {twin.name} if twin else set()
        aliases |= {name for group in groups if service.name in group for name in group}
        rows.append(
            {
                "id": f"{entry.key}:{service.seq:02d}",
                "guide": entry.key,
                "seq": service.seq,
                "name": service.name,
                "group_name": service.group,
                "codes": codes,
                "codes_from": entry.key if service.codes else (compared if twin and twin.codes else None),
                "aliases": sorted(aliases - {service.name}),
                "twin": f"{compared}:{twin.seq:02d}" if twin else None,
                "line_start": service.span.start,
                "line_end": service.span.end,
            }
        )
    return rows


def field_rows(service_id: str, service: ParsedService) -> list[dict]:
    return [
        {
            "id": f"{service_id}:f{index:02d}",
            "service_id": service_id,
            "key": value.key,
            "label": value.label,
            "scope": value.scope,
            "text": value.text,
            "items": value.items,
            "normalised": normalise_time_limit(value.text) if value.key == "time_limit" else None,
            "line_start": value.span.start,
            "line_end": value.span.end,
            "origin": "source",
        }
        for index, value in enumerate(service.fields)
    ]


def contact_rows(
    service_id: str, service: ParsedService, entry: GuideEntry, regions_of: dict[tuple[str, str], str | None]
) -> list[dict]:
    return [
        {
            "id": f"{service_id}:c{index:02d}",
            "service_id": service_id,
            "area": row.area,
            "region": regions_of[(entry.key, row.area)],
            "place": row.place,
            "hours": row.hours,
            "consult": row.consult,
            "complaint": row.complaint,
            "line_start": row.span.start,
            "line_end": row.span.end,
            "origin": "source",
        }
        for index, row in enumerate(service.contacts)
    ]


_FORM = re.compile(r"《([^》]+)》")


def _disagreement(key: str, mine: str, theirs: str) -> tuple[str, str] | None:
    """What two documents say differently in field ``key``, as (ours, theirs), or None: the time limit, or
    the forms named in the materials (清单 "《医疗救助申请表》", 指南 "《医疗救助申请卡》"). A form only one
    names, with none in its place in the other, is an addition, not a disagreement."""
    if key == "time_limit":
        return (mine, theirs) if normalise_time_limit(mine) != normalise_time_limit(theirs) else None
    ours, other = set(_FORM.findall(mine)), set(_FORM.findall(theirs))
    if ours - other and other - ours:
        return _forms(ours - other), _forms(other - ours)
    return None


def _forms(titles: set[str]) -> str:
    return "、".join(f"《{title}》" for title in sorted(titles))


def conflict_rows(
    entry: GuideEntry, other: GuideEntry, services: list[ParsedService], pairs: dict[int, ParsedService]
) -> list[dict]:
    """Time limits and named forms that differ between a service and its twin in the compared document."""
    rows = []
    for service in services:
        twin = pairs.get(service.seq)
        if twin is None:
            continue
        for key in ("time_limit", "materials"):
            mine = next((f for f in service.fields if f.key == key), None)
            theirs = next((f for f in twin.fields if f.key == key), None)
            if mine is None or theirs is None:
                continue
            differ = _disagreement(key, mine.text, theirs.text)
            if differ is None:
                continue
            rows.append(
                {
                    "guide": entry.key,
                    "service_id": f"{entry.key}:{service.seq:02d}",
                    "service": service.name,
                    "field": key,
                    "value": differ[0],
                    "line_start": mine.span.start,
                    "line_end": mine.span.end,
                    "other_guide": other.key,
                    "other_service_id": f"{other.key}:{twin.seq:02d}",
                    "other_value": differ[1],
                    "other_line_start": theirs.span.start,
                    "other_line_end": theirs.span.end,
                }
            )
    return rows


def search_rows(services: list[dict], fields: list[dict]) -> list[dict]:
    """One row per field, segmented by jieba so that SQLite FTS can match Chinese words."""
    names = {row["id"]: row["name"] for row in services}
    return [
        {
            "field_id": row["id"],
            "service_id": row["service_id"],
            "key": row["key"],
            "name": " ".join(jieba.cut_for_search(names[row["service_id"]])),
            "terms": " ".join(jieba.cut_for_search(row["text"])),
        }
        for row in fields
    ]


def build(db_path: Path = paths.KB_PATH, sources: Path = paths.SOURCES) -> dict[str, int]:
    """Parse every guide of the manifest and write the knowledge base; returns row counts per table."""
    entries = load_manifest(sources / "manifest.yml")
    parsed = {entry.key: parse_entry(entry, sources) for entry in entries}
    regions = build_regions(paths.REGIONS_CONFIG)
    regions_of = area_paths(entries, parsed, regions)
    by_key = {entry.key: entry for entry in entries}
    groups = same_service_groups(paths.SERVICE_ALIASES)
    tables: dict[str, list[dict]] = {
        name: []
        for name in (
            "guides",
            "services",
            "fields",
            "contacts",
            "conflicts",
            "anomalies",
            "document_contacts",
            "reference_forms",
            "regions",
        )
    }
    for entry in entries:
        guide = parsed[entry.key]
        other = by_key.get(entry.compare_with) if entry.compare_with else None
        pairs = pair_services(guide.services, parsed[other.key].services) if other else {}
        source_file = sources / entry.file
        tables["guides"].append(
            {
                "key": entry.key,
                "file": entry.file,
                "layout": entry.layout,
                "kind": entry.kind,
                "title": entry.title,
                "short": entry.short,
                "issuer": entry.issuer,
                "year": entry.year,
                "scope": list(entry.scope),
                "compare_with": entry.compare_with,
                "services": len(guide.services),
                "sha256": hashlib.sha256(source_file.read_bytes()).hexdigest(),
                "keywords": list(entry.keywords),
            }
        )
        tables["services"] += service_rows(entry, guide.services, pairs, entry.compare_with, groups)
        for service in guide.services:
            service_id = f"{entry.key}:{service.seq:02d}"
            tables["fields"] += field_rows(service_id, service)
            tables["contacts"] += contact_rows(service_id, service, entry, regions_of)
        if other:
            tables["conflicts"] += conflict_rows(entry, other, guide.services, pairs)
        tables["anomalies"] += [
            {
                "guide": entry.key,
                "kind": a.kind,
                "service": a.service,
                "message": a.message,
                "line_start": a.span.start if a.span else None,
                "line_end": a.span.end if a.span else None,
            }
            for a in guide.anomalies
        ]
        tables["document_contacts"] += [
            {
                "guide": entry.key,
                "person": c.person,
                "phone": c.phone,
                "line_start": c.span.start,
                "line_end": c.span.end,
            }
            for c in guide.document_contacts
        ]
        tables["reference_forms"] += [
            {"guide": entry.key, "title": title, "line_start": span.start, "line_end": span.end}
            for title, span in guide.reference_forms
        ]
    tables["anomalies"] += [
        {
            "guide": key,
            "kind": "unknown_area",
            "service": None,
            "line_start": None,
            "line_end": None,
            "message": f"area {area!r} matches no region of the guide's scope",
        }
        for (key, area), path in sorted(regions_of.items())
        if area and path is None
    ]
    tables["regions"] = [asdict(region) | {"label": region.label} for region in regions]
    tables["overrides_applied"] = apply_overrides(
        load_overrides(paths.OVERRIDES), tables["services"], tables["fields"], tables["contacts"]
    )
    tables["search"] = search_rows(tables["services"], tables["fields"])
    return write(db_path, tables)


def write(db_path: Path, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write all tables to a fresh file next to ``db_path`` and move it into place."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staging = db_path.with_suffix(".building")
    staging.unlink(missing_ok=True)
    db = sqlite_utils.Database(staging)
    for name, (pk, columns) in TABLES.items():
        table = db.table(name)
        table.create(columns, pk=pk)
        table.insert_all(tables[name])
    db.table("fields").create_index(["service_id"])
    db.table("contacts").create_index(["service_id"])
    db.table("search").enable_fts(["name", "terms"], create_triggers=False)
    db.conn.close()
    os.replace(staging, db_path)
    return {name: len(rows) for name, rows in tables.items()}
