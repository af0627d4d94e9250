"""The places a turn reasons about: a district's city, is it a city, a province's local guides, does the
place change the answer, which of a city's offices to offer."""

from __future__ import annotations

import os
from collections.abc import Callable

from bot.dialogue.aspect_parts import CONTACT_ASPECTS, fields_of
from bot.dialogue.groups import names_a_labelled_place
from bot.dialogue.message import Turn
from bot.dialogue.shared import region_contacts
from bot.kb.lookup import Card, service_in_guide
from bot.kb.store import KnowledgeBase
from bot.nlu.aspects import needs_region

# Whose guides answer when no place is known.
DEFAULT_REGION = os.environ.get("YIBAO_DEFAULT_REGION", "四川省")
# The aspects answered by one value that a place's guide may set otherwise (乐山 9 个工作日, 四川 30,
# 湖北 15); materials and ways share their core across guides and are answered with the province's guide.
SCALAR_ASPECTS = ("time_limit", "fee")


def local_scopes(kb: KnowledgeBase, region: str | None, service: str) -> list[str]:
    """The places inside the province ``region`` whose local guides list ``service`` with their own
    contacts."""
    place = kb.resolver.get(region) if region else None
    if place is None or place.level != "province":
        return []
    return [
        s
        for g in kb.guides.values()
        if g.depth() > 0 and service_in_guide(kb, service, g.key)
        for s in g.scope
        if s.startswith(place.path + "/")
    ]


def districts_of(kb: KnowledgeBase, city: str) -> list[str]:
    """The districts (区, 县, county-level 市) of ``city``."""
    return [r.path for r in kb.regions if r.parent == city and r.level == "district"]


def city_of(kb: KnowledgeBase, region: str) -> str:
    """The city a district belongs to; any other place itself."""
    place = kb.resolver.get(region)
    parent = kb.resolver.get(place.parent) if place and place.level == "district" and place.parent else None
    return parent.path if parent and parent.level == "city" else region


def is_city(kb: KnowledgeBase, region: str | None) -> bool:
    """True when ``region`` is a city (市/州), not a province or district."""
    found = kb.resolver.get(region) if region else None
    return bool(found and found.level == "city")


def place_matters(kb: KnowledgeBase, service: str, aspects: list[str]) -> bool:
    """Whether the place would change the contacts ``aspects`` ask for: a local guide lists ``service``, or
    its guides' contact rows differ in those columns. Where every guide gives the same (门诊费用跨省直接结算:
    no 咨询电话 anywhere, 投诉 12345), asking for the place would not change the answer."""
    columns = [CONTACT_ASPECTS[a].contact for a in aspects if a in CONTACT_ASPECTS]
    values: set[str] = set()
    for guide in kb.guides.values():
        found = service_in_guide(kb, service, guide.key)
        if found is None:
            continue
        if guide.depth() > 0:
            return True
        values |= {repr([row.get(c) for c in columns]) for row in kb.contacts(found[0].id)} or {"none"}
    return len(values) > 1


def differing_scopes(kb: KnowledgeBase, service: str, aspects: list[str]) -> tuple[list[str], list[str]]:
    """The scopes of the guides that hold ``service``, and the asked single-valued facts (the time limit, the
    fee) they set differently, so that the place decides the answer; ([], []) when they agree. A guide silent
    on it sets nothing otherwise; a guide of its own way of service (川渝通办) answers only when the message
    names that way, and is left out."""
    keys = {a: {key for key, _ in fields_of(a)} for a in aspects if a in SCALAR_ASPECTS}
    if not keys:
        return [], []
    scopes: list[str] = []
    values: dict[str, set[str]] = {a: set() for a in keys}
    for guide in kb.guides.values():
        found = (
            service_in_guide(kb, service, guide.key) if guide.kind == "guide" and not guide.keywords else None
        )
        if found is None:
            continue
        scopes += guide.scope
        for f in kb.fields(found[0].id):
            for aspect, fields in keys.items():
                if f["key"] in fields:
                    values[aspect].add(f["normalised"] or f["text"])
    differing = [a for a in keys if len(values[a]) > 1]
    return (scopes, differing) if differing else ([], [])


def which_district(
    kb: KnowledgeBase,
    turn: Turn,
    found: Callable[[], Card | None],
    region: str | None,
    named: str | None,
    aspects: list[str],
    settled: bool,
) -> list[str]:
    """The places to offer when a city is known but which of its offices answers is not, and matters: "我在
    乐山下面的县里头，…打哪个电话" (its districts), "达州住院报销在哪里办" (the city's own office first, as
    the districts' rows of the card ``found`` differ; built only then); none when the place is ``settled``
    (picked, or 市本级 said)."""
    if settled or not is_city(kb, region) or not needs_region(aspects):
        return []
    districts = districts_of(kb, str(region))
    if turn.entity("some_district"):
        return districts
    differ = named == region and _districts_differ(found(), aspects, turn.text)
    return [str(region), *districts] if differ else []


def districts_answer_differently(kb: KnowledgeBase, city: str, aspects: list[str]) -> bool:
    """True when the contacts asked with no service read differently for the city's own office and its
    districts (or for some of them only by service)."""
    answers = [region_contacts(kb, place, aspects) for place in [city, *districts_of(kb, city)]]
    return len({found.text.split("\n", 1)[-1] if found else None for found in answers}) > 1


def _districts_differ(found: Card | None, aspects: list[str], text: str) -> bool:
    """True when the districts' rows of the card give different contacts of those asked, and the message
    names none of the places the city's own numbers are labelled with ("在乐山市人民医院办…电话")."""
    if found is None or names_a_labelled_place(found, text):
        return False
    asked = set(aspects)
    keys = [key for key, wanted in _CONTACT_ASPECTS.items() if wanted & asked]
    rows = {tuple(str(getattr(row, key)) for key in keys) for row in found.district_contacts}
    return bool(keys) and len(rows) > 1


# the contact column of a card's rows that answers each asked aspect
_CONTACT_ASPECTS = {
    "consult": {"phone"},
    "complaint": {"complaint_phone"},
    "place": {"place", "address"},
    "hours": {"hours"},
}
