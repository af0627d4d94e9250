"""Maintainers' corrections (knowledge/overrides.yml), applied to the rows before they are stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FIELD_COLUMNS = {"text", "items", "normalised"}
CONTACT_COLUMNS = {"place", "hours", "consult", "complaint"}


@dataclass
class Override:
    """One correction as written in the file."""

    guide: str
    service: str
    values: dict[str, Any]
    reason: str
    field: str | None = None
    scope: str | None = None
    contact: str | None = None
    add: bool = False


class OverrideError(ValueError):
    """An override that names nothing in the knowledge base, or a column that does not exist."""


def load_overrides(path: Path) -> list[Override]:
    """The overrides in ``path`` (none when the file is absent)."""
    if not path.exists():
        return []
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("overrides") or []
    overrides = []
    for number, raw in enumerate(entries, 1):
        if ("field" in raw) == ("contact" in raw):
            raise OverrideError(f"override {number}: give exactly one of field / contact")
        allowed = FIELD_COLUMNS if "field" in raw else CONTACT_COLUMNS
        unknown = set(raw.get("set", {})) - allowed
        if unknown or not raw.get("reason"):
            raise OverrideError(f"override {number}: unknown columns {sorted(unknown)} or no reason")
        overrides.append(
            Override(
                guide=raw["guide"],
                service=raw["service"],
                values=raw["set"],
                reason=raw["reason"],
                field=raw.get("field"),
                scope=raw.get("scope"),
                contact=raw.get("contact"),
                add=bool(raw.get("add")),
            )
        )
    return overrides


def apply_overrides(
    overrides: list[Override], services: list[dict], fields: list[dict], contacts: list[dict]
) -> list[dict]:
    """Change the matching rows in place; return one record per change for the overrides_applied table."""
    service_ids = {(row["guide"], row["name"]): row["id"] for row in services}
    applied: list[dict] = []
    for override in overrides:
        service_id = service_ids.get((override.guide, override.service))
        if service_id is None:
            raise OverrideError(f"no service {override.service!r} in guide {override.guide!r}")
        if override.field:
            rows = [
                r
                for r in fields
                if r["service_id"] == service_id
                and r["key"] == override.field
                and r["scope"] == override.scope
            ]
            blank = {
                "service_id": service_id,
                "key": override.field,
                "label": override.field,
                "scope": override.scope,
                "text": "",
                "items": [],
                "normalised": None,
            }
            target, table = fields, "fields"
        else:
            rows = [r for r in contacts if r["service_id"] == service_id and r["area"] == override.contact]
            blank = {
                "service_id": service_id,
                "area": override.contact,
                "region": None,
                "place": None,
                "hours": None,
                "consult": [],
                "complaint": [],
            }
            target, table = contacts, "contacts"
        if not rows and override.add:
            blank.update(id=f"{service_id}:override:{len(applied)}", line_start=None, line_end=None)
            target.append(blank)
            rows = [blank]
        if not rows:
            raise OverrideError(
                f"override for {override.service!r} matches no {table} row; add: true creates one"
            )
        for row in rows:
            for column, value in override.values.items():
                applied.append(
                    {
                        "table": table,
                        "row_id": row["id"],
                        "service_id": service_id,
                        "column": column,
                        "source_value": row.get(column),
                        "value": value,
                        "reason": override.reason,
                    }
                )
                row[column] = value
            row["origin"] = "override"
    return applied
