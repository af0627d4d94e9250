"""Numbers a guide labels: per group of insured ("0818-6239100（职工）、0818-6221398（居民）"): keep the
asker's; per place ("0833-2109203（乐山市人民医院）、0833-2429292（乐山市中医医院）"): keep the one the
message names.

A group label covers the unlabelled numbers just before it: in "0818-5336530、5336529（居民）、0818-5336838
（职工）" the first two are 居民 numbers. A place label covers its own number only.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.kb.lookup import Card, ContactInfo

GROUPS = ("居民", "职工")
_LABEL = re.compile(r"[（(](居民|职工)[)）]")
_PLACE_LABEL = re.compile(r"[（(]([^（）()]{2,24})[)）]")


def for_group(phones: list[str], group: str | None) -> list[str]:
    """``phones`` without those labelled (directly or by the label after them) for the other group."""
    if group not in GROUPS:
        return phones
    kept: list[str] = []
    run: list[str] = []
    for phone in phones:
        run.append(phone)
        label = _LABEL.search(phone)
        if label:
            kept += run if label.group(1) == group else []
            run = []
    return kept + run or phones


def for_place(phones: list[str], text: str) -> list[str]:
    """``phones`` without those labelled for a place other than the one ``text`` names, when it names one."""

    def label(phone: str) -> str | None:
        found = _PLACE_LABEL.search(phone)
        return found.group(1) if found and found.group(1) not in GROUPS else None

    named = {label(p) for p in phones if label(p) and str(label(p)) in text}
    return [p for p in phones if label(p) is None or label(p) in named] if named else phones


def names_a_labelled_place(card: Card, text: str) -> bool:
    """True when ``text`` names a place one of the card's own numbers is labelled with ("乐山市人民医院",
    also without its city: "市人民医院")."""
    phones = [*card.contact.consult, *card.contact.complaint] if card.contact else []
    labels = [
        found.group(1) for p in phones if (found := _PLACE_LABEL.search(p)) and found.group(1) not in GROUPS
    ]
    return any(label in text or label.split("市", 1)[-1] in text for label in labels)


def _narrow(contact: ContactInfo, group: str | None, text: str) -> ContactInfo:
    def kept(phones: list[str]) -> list[str]:
        return for_place(for_group(phones, group), text)

    return replace(contact, consult=kept(contact.consult), complaint=kept(contact.complaint))


def narrow_to_asker(card: Card, group: str | None, text: str) -> Card:
    """The card with every contact's numbers narrowed to ``group`` (居民 or 职工, or None) and to the place
    ``text`` names ("在乐山市人民医院办…电话")."""
    return replace(
        card,
        contact=card.contact and _narrow(card.contact, group, text),
        district_contacts=[_narrow(c, group, text) for c in card.district_contacts],
    )
