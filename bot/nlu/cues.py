"""What a message says beside its service and place: a number picked among the options offered, which group of
insured asks, and what a 12345 operator's note says the caller left unsaid."""

from __future__ import annotations

import re

_CHINESE_NUMBERS = "一二三四五六七八九"
_CHOICE = re.compile(
    rf"^(?:选|要|第)?\s*([1-9]|[{_CHINESE_NUMBERS}])\s*(?:个|项|号|条)?(?:吧|嘛|呢)?[。.!！]?$"
)
# Which group of insured the asker belongs to, when a guide gives numbers per group.
_GROUPS = {
    "居民": re.compile(r"居民|城乡医保|新农合|农村医保"),
    "职工": re.compile(r"职工|在职|单位上班|上班族"),
}
# "…，未说明参保地及备案类型": a 12345 operator's note that the caller left the place or the kind unsaid
_UNSTATED = re.compile(r"未(?:说明|说|讲|讲明|提供|告知|注明|明确)(?:是|其|具体)?(?P<what>[^，,。；;]{0,14})")
_UNSTATED_PLACE = re.compile(r"参保地|区县|地区|所在地|哪个(?:市|区|县)|在哪")
_UNSTATED_KIND = re.compile(r"类型|哪一?类|哪种|什么|事项|单位还是个人|业务")


def unstated(text: str) -> tuple[str, ...]:
    """What a note says the caller did not say: "region" (未说明参保地, 未说明区县) and "service"
    (未说明备案类型, 未说明具体事项, 未说明单位还是个人)."""
    said = [found.group("what") for found in _UNSTATED.finditer(text)]
    return tuple(
        what
        for what, pattern in (("region", _UNSTATED_PLACE), ("service", _UNSTATED_KIND))
        if any(pattern.search(words) for words in said)
    )


def parse_choice(text: str) -> int | None:
    """ "2", "第二个", "选2" → 2 (1-based); None for anything else."""
    match = _CHOICE.match(text.strip())
    if not match:
        return None
    token = match.group(1)
    return int(token) if token.isdigit() else _CHINESE_NUMBERS.index(token) + 1


def insured_group(text: str) -> str | None:
    """ "居民" or "职工" when the message says which (and not both)."""
    found = [group for group, pattern in _GROUPS.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def without_unstated(text: str) -> str:
    """``text`` without the clauses saying what was left unsaid: their words name no service or place."""
    return _UNSTATED.sub("", text)
