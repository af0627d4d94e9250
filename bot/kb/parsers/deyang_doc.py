"""Helpers shared by the two parsers of 德阳市's forwarding of the 四川省 清单 and 办事指南.

The file 001 holds both documents; :mod:`sichuan_list` and :mod:`sichuan_guide`
read their own part of it but report the same document contacts.
"""

from __future__ import annotations

import re

from bot.kb.parsers.text import find_phones
from bot.kb.records import DocumentContact, Span

_PERSON_INLINE = re.compile(r"联系人(?:及电话)?\s*[:：]\s*([^\d\s，,：:]+)")
_PERSON_LINE = re.compile(r"^联系人\s*[:：]\s*(\S+)$")


def document_contacts(lines: list[str]) -> list[DocumentContact]:
    """Phones printed next to a 联系人 (the people who issued the document), with their lines.

    Handles "联系人及电话：朱林梅，028-86523136" and "联系人:熊潇磊" followed
    (within three lines) by "联系电话:0838-2534490".
    """
    found: list[DocumentContact] = []
    for index, line in enumerate(lines):
        phones = find_phones(line)
        if not phones:
            continue
        person, start = _person(lines, index)
        if person is None:
            continue
        found.extend(DocumentContact(person, phone, Span(start + 1, index + 1)) for phone in phones)
    return found


def _person(lines: list[str], index: int) -> tuple[str | None, int]:
    """The 联系人 named on line ``index`` or on one of the three lines before it."""
    inline = _PERSON_INLINE.search(lines[index])
    if inline:
        return inline.group(1), index
    for back in range(index - 1, max(index - 4, -1), -1):
        match = _PERSON_LINE.match(lines[back].strip())
        if match:
            return match.group(1), back
    return None, index
