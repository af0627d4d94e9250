"""Numbers a guide gives per group of insured ("0818-6239100（职工）、0818-6221398（居民）"): keep the
asker's.

A label covers the unlabelled numbers just before it: in "0818-5336530、5336529（居民）、0818-5336838（职工）"
the first two are 居民 numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.kb.lookup import Card, ContactInfo

GROUPS = ("居民", "职工")
_LABEL = re.compile(r"[（(](居民|职工)[)）]")


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


def _narrow(contact: ContactInfo, group: str) -> ContactInfo:
    return replace(
        contact, consult=for_group(contact.consult, group), complaint=for_group(contact.complaint, group)
    )


def narrow_to_group(card: Card, group: str | None) -> Card:
    """The card with every contact's numbers narrowed to ``group`` (居民 or 职工); unchanged for None."""
    if group not in GROUPS:
        return card
    return replace(
        card,
        contact=card.contact and _narrow(card.contact, group),
        district_contacts=[_narrow(c, group) for c in card.district_contacts],
    )
