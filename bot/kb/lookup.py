"""Answer cards: one service of the guide that applies to a region, with that region's contacts.

The guide is the most local one that covers the region and has the service
(district → city → province). Contacts fall back the same way, district → city
(市本级) → the guide's single row; never to another district.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.kb.store import Guide, KnowledgeBase, Service

# How close (rapidfuzz WRatio, 0–100) a name must be to a guide's name or alias of a service to mean it: a
# citizen's or operator's query ("住院报销", "异地安置退休备案") …
QUERY_SCORE = 80.0
# … and the name of a 事项 in another guide's wording (from the linker), which must be that guide's own entry
SAME_SERVICE_SCORE = 95.0
# A value that only says the way depends on the place or will be published ("有条件的统筹地区可通过网上办理",
# "及时公布办理业务的网址"), which another guide covering the place may complete
GENERIC = re.compile(r"有条件的|及时公布|向社会公布|另行公布|按照[^。；]{0,30}执行")
ONLINE = re.compile(r"APP|小程序|网上|线上|网络|公众号|不见面|网办", re.IGNORECASE)
_WAYS = ("channels", "online")  # a guide that names no online way leaves the question of one open


@dataclass
class Source:
    """Where a value comes from: a guide's file and lines, or an override."""

    guide: str
    title: str
    file: str
    line_start: int | None
    line_end: int | None
    origin: str = "source"


@dataclass
class FieldInfo:
    key: str
    label: str
    text: str
    items: list[str]
    scope: str | None
    normalised: str | None
    source: Source


@dataclass
class ContactInfo:
    area: str
    region: str | None
    place: str | None
    hours: str | None
    consult: list[str]
    complaint: list[str]
    source: Source


@dataclass
class Card:
    """Everything a guide says about one service, for one region."""

    guide: Guide
    service: Service
    score: float
    region: str | None
    fields: list[FieldInfo]
    contact: ContactInfo | None
    contact_level: (
        str | None
    )  # "exact", "parent" (市本级), "grandparent", "guide" (one row for the whole guide) or None
    district_contacts: list[ContactInfo] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    twin_fields: list[FieldInfo] = field(default_factory=list)  # the same 事项 in the compared 清单
    # what another guide covering the region says where this one is blank or generic, with that guide
    completions: list[tuple[Guide, FieldInfo]] = field(default_factory=list)

    @property
    def answered_for(self) -> str | None:
        """The region the contacts answer for: the card's region, ".../市本级" where the city's own office's
        row answers (see ../shared/eval/README.md)."""
        if self.region and self.contact and self.contact_level == "exact" and self.contact.area == "市本级":
            return f"{self.region}/市本级"
        return self.region

    def field(self, key: str) -> list[FieldInfo]:
        return [f for f in self.fields if f.key == key]

    def twin_field(self, key: str) -> list[FieldInfo]:
        return [f for f in self.twin_fields if f.key == key]

    def completion(self, key: str) -> list[tuple[Guide, FieldInfo]]:
        return [(g, f) for g, f in self.completions if f.key == key]

    def to_dict(self) -> dict:
        return asdict(self)


class NotFound(LookupError):
    """No service or region could be found for the query."""


def service_matches(kb: KnowledgeBase, query: str, guide: str, limit: int = 5) -> list[tuple[Service, float]]:
    """Services of ``guide`` whose name or alias is closest to ``query``, best first (score 0–100)."""
    services = [s for s in kb.services.values() if s.guide == guide]
    choices = {(s.id, name): name for s in services for name in (s.name, *s.aliases)}
    best: dict[str, float] = {}
    for (service_id, _), score in _scores(query, choices):
        best[service_id] = max(best.get(service_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
    return [(kb.services[service_id], score) for service_id, score in ranked]


def service_in_guide(
    kb: KnowledgeBase, name: str, guide: str, min_score: float = SAME_SERVICE_SCORE
) -> tuple[Service, float] | None:
    """The guide's entry for the service ``name`` (its name or an alias, as close as ``min_score``), if any:
    the one answer to "is this the same service in that guide"."""
    found = service_matches(kb, name, guide, limit=1)
    return found[0] if found and found[0][1] >= min_score else None


def _scores(query: str, choices: dict) -> list[tuple[tuple[str, str], float]]:
    exact = [(key, 100.0) for key, name in choices.items() if name == query]
    if exact:
        return exact
    found = process.extract(query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None)
    return [(key, float(score)) for _, score, key in found]


def guides_for(kb: KnowledgeBase, region: str | None) -> list[Guide]:
    """Guides that answer for ``region``, most local first; all guides when no region is given."""
    guides = [g for g in kb.guides.values() if g.kind == "guide" and (region is None or g.covers(region))]
    return sorted(guides, key=lambda g: (-g.depth(), len(g.scope), g.key))


def card(kb: KnowledgeBase, service_query: str, region: str | None, prefer: str | None = None) -> Card:
    """The card for the service named ``service_query`` in the region path ``region``, from the guide
    ``prefer`` first where it covers the region (the message named its way of service: "川渝通办")."""
    found = guides_for(kb, region)
    guides = [g for g in found if g.key == prefer] + [g for g in found if g.key != prefer]
    if not guides:
        raise NotFound(f"没有覆盖 {region} 的办事指南（本助手收录四川省、重庆市（川渝通办）和湖北省的指南）")
    notes: list[str] = []
    for guide in guides:
        match = service_in_guide(kb, service_query, guide.key, QUERY_SCORE)
        if match:
            service, score = match
            if guide is not guides[0]:
                notes.append(f"《{guides[0].short}》未列此事项，以下依据《{guide.short}》。")
            result = build_card(kb, guide, service, score, region, notes)
            if region:
                result.completions = _completions(kb, result, [g for g in found if g is not guide])
            return result
    raise NotFound(f"在适用于 {region or '各地'} 的办事指南中找不到事项“{service_query}”")


def build_card(
    kb: KnowledgeBase,
    guide: Guide,
    service: Service,
    score: float,
    region: str | None,
    notes: list[str] | None = None,
) -> Card:
    """Assemble the card of a known service for ``region``."""

    def source(row: dict) -> Source:
        return Source(guide.key, guide.title, guide.file, row["line_start"], row["line_end"], row["origin"])

    fields = _fields(kb, service.id, region)
    twin_fields = _fields(kb, service.twin, region) if service.twin else []
    contacts = [
        ContactInfo(r["area"], r["region"], r["place"], r["hours"], r["consult"], r["complaint"], source(r))
        for r in kb.contacts(service.id)
    ]
    contact, level = _contact_for(kb, contacts, region)
    inside = [c for c in contacts if region and c.region and c.region.startswith(region + "/")]
    return Card(
        guide=guide,
        service=service,
        score=score,
        region=region,
        fields=fields,
        contact=contact,
        contact_level=level,
        district_contacts=inside,
        conflicts=_oriented_conflicts(kb, service.id),
        notes=list(notes or []),
        twin_fields=twin_fields,
    )


def _completions(kb: KnowledgeBase, result: Card, others: list[Guide]) -> list[tuple[Guide, FieldInfo]]:
    """The fields of the same service in the ``others`` guides (that cover the card's region too) that the
    card's guide leaves blank or says only generically; the first guide to give a field gives it."""
    completed: list[tuple[Guide, FieldInfo]] = []
    for guide in others:
        match = service_in_guide(kb, result.service.name, guide.key)
        if match is None:
            continue
        for info in _fields(kb, match[0].id, result.region):
            if _completes(result, info):
                if not any(f.key == info.key and g is not guide for g, f in completed):
                    completed.append((guide, info))
    return completed


def _completes(result: Card, info: FieldInfo) -> bool:
    """True when ``info``, another guide's field, says what the card's guide leaves blank or says only
    generically: for the ways of applying, an online way where the card names none."""
    if not info.text or GENERIC.search(info.text) or any(f.text == info.text for f in result.field(info.key)):
        return False
    if info.key in _WAYS and not any(ONLINE.search(f.text) for k in _WAYS for f in result.field(k)):
        return bool(ONLINE.search(info.text))
    return all(GENERIC.search(f.text) for f in result.field(info.key))


def _fields(kb: KnowledgeBase, service_id: str, region: str | None) -> list[FieldInfo]:
    """The fields of a service that apply to ``region``, each with its source lines."""
    guide = kb.guides[kb.services[service_id].guide]
    return [
        FieldInfo(
            r["key"],
            r["label"],
            r["text"],
            r["items"] or [],
            r["scope"],
            r["normalised"],
            Source(guide.key, guide.title, guide.file, r["line_start"], r["line_end"], r["origin"]),
        )
        for r in kb.fields(service_id)
        if _scope_applies(r["scope"], region)
    ]


def _oriented_conflicts(kb: KnowledgeBase, service_id: str) -> list[dict]:
    """This service's conflicts as {value, other_value, other_guide, other_short, lines}, ours first."""
    oriented = []
    for row in kb.conflicts(service_id):
        ours = row["service_id"] == service_id
        other = row["other_guide"] if ours else row["guide"]
        oriented.append(
            {
                "field": row["field"],
                "value": row["value"] if ours else row["other_value"],
                "other_value": row["other_value"] if ours else row["value"],
                "other_guide": other,
                "other_short": kb.guides[other].short,
                "other_title": kb.guides[other].title,
                "other_line_start": row["other_line_start"] if ours else row["line_start"],
            }
        )
    return oriented


def _scope_applies(scope: str | None, region: str | None) -> bool:
    return scope is None or region is None or region == scope or region.startswith(scope + "/")


def _contact_for(
    kb: KnowledgeBase, contacts: list[ContactInfo], region: str | None
) -> tuple[ContactInfo | None, str | None]:
    """The row for ``region`` itself, else for the place above it (a district's 市本级), else the guide's
    single row."""
    by_region = {c.region: c for c in contacts if c.region}
    if region:
        for level, path in zip(("exact", "parent", "grandparent"), kb.resolver.ancestors(region)):
            if path in by_region:
                return by_region[path], level
    whole = [c for c in contacts if not c.area]
    return (whole[0], "guide") if whole else (None, None)
