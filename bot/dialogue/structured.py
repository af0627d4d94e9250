"""The answer as data, for channels that show more than text (hotline helper, web widget).

A plain JSON dict: the service and region, the guide (title, year), every field of the card, the contacts
that apply, conflicts, and a short script an operator can read aloud to a caller.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.dialogue.aspect_parts import payload
from bot.dialogue.compose import place_name
from bot.dialogue.wording import not_listed
from bot.kb.lookup import Card, ContactInfo, FieldInfo

SCRIPT_MATERIALS = 4  # materials named in the read-aloud script; the card lists all of them


def _contact(contact: ContactInfo) -> dict[str, Any]:
    return _with_lines(contact)


def _first_text(card: Card, key: str) -> str | None:
    values = card.field(key)
    return values[0].text if values else None


def read_aloud(card: Card, region_known: bool) -> str:
    """Two or three spoken sentences: materials, 时限, where to call; then the source."""
    where = place_name(card.region) if region_known else ""
    sentences = [f"您好，{where}办理“{card.service.name}”："]
    materials = [item for info in card.field("materials") for item in (info.items or [info.text])]
    if materials:
        named = "；".join(item.rstrip("；;。.，, ") for item in materials[:SCRIPT_MATERIALS])
        more = f"等{len(materials)}项" if len(materials) > SCRIPT_MATERIALS else ""
        sentences.append(f"需要准备{named}{more}。")
    time_limit = _first_text(card, "time_limit")
    if time_limit:
        sentences.append(f"办理时限是{time_limit.rstrip('。.；; ')}。")
    contact = card.contact
    if contact and contact.consult:
        sentences.append(f"咨询电话{'、'.join(contact.consult)}。")
    elif region_known:
        sentences.append(not_listed(None, "当地", "咨询电话"))
    sentences.append(f"以上依据《{card.guide.title}》。")
    return "".join(sentences)


def _field(f: FieldInfo) -> dict[str, Any]:
    return _with_lines(f) | {"origin": f.source.origin}


def _with_lines(info: ContactInfo | FieldInfo) -> dict[str, Any]:
    """A contact row or field as data, its source reduced to its lines in the guide."""
    data = asdict(info)
    source = data.pop("source")
    return data | {"lines": [source["line_start"], source["line_end"]]}


def structured(card: Card, aspects: list[str], region_known: bool) -> dict[str, Any]:
    """The card as JSON-ready data."""
    guide = card.guide
    return {
        "service": card.service.name,
        "region": card.answered_for if region_known else None,
        "place": place_name(card.region) if region_known else None,
        "aspects": aspects,
        "aspect_parts": payload(),
        "guide": {"key": guide.key, "title": guide.title, "year": guide.year, "file": guide.file},
        "fields": [_field(f) for f in card.fields],
        "completions": [{"guide": guide.title, **_field(f)} for guide, f in card.completions],
        "contact": _contact(card.contact) if card.contact else None,
        "contact_level": card.contact_level,
        "district_contacts": [_contact(c) for c in card.district_contacts],
        "conflicts": card.conflicts,
        "notes": card.notes,
        "script": read_aloud(card, region_known),
    }
