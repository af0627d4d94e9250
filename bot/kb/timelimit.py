"""A comparable form of a 办理时限 ("不超过3个工作日" → "≤3工作日")."""

from __future__ import annotations

import re

from bot.kb.parsers.text import normalise

_TERM = re.compile(
    r"(?P<immediate>即时办结|当场办结|当日办结|即办)"
    r"|(?P<max>不超过|最长不超过|最多)?\s*(?P<n>\d+)\s*个?\s*(?P<unit>工作日|自然日|日|天|个月|月)"
)


def normalise_time_limit(text: str) -> str | None:
    """The terms of a time limit in order, e.g. "≤3工作日;即时办结"; None when it states none."""
    terms: list[str] = []
    for match in _TERM.finditer(normalise(text)):
        if match.group("immediate"):
            term = "即时办结" if match.group("immediate") != "当日办结" else "当日办结"
        else:
            unit = match.group("unit").replace("个月", "月")
            term = ("≤" if match.group("max") else "") + match.group("n") + unit
        if term not in terms:
            terms.append(term)
    return ";".join(terms) or None
