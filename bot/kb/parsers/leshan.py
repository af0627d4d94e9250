"""The 乐山市医疗保障经办政务服务事项办事指南 (2024 年版) (file 000).

Each service starts with an unnumbered title line ("单位参保登记") followed by
fields headed "一、事项名称" … "九、备注", then "（以下内容以各经办机构公布的为准）"
and a local block: 办理地点, 办理时间 (sometimes wrapped), 咨询电话 with one
"<area>：<phone>" or "<area> <phone>" line per district (or one number for the
whole city) and 投诉电话. Headings are matched by their text, not their numeral,
because the guide skips and renumbers fields; a 办理进度 text printed without its
heading (which sometimes turns up after the local block) is recovered from the
end of 办理流程, and 备注 items printed under 服务评价渠道 are recovered as 备注.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.kb.parsers import marks
from bot.kb.parsers.fields import ITEM_KEYS, make_field
from bot.kb.parsers.text import find_phones, split_items, strip_final_stop, strip_item_marker, unwrap
from bot.kb.records import Anomaly, ContactRow, FieldValue, ParsedGuide, ParsedService, Span, field_key

_HEADING = re.compile(rf"^(?:[-•·]\s*)?([{marks.NUMERALS}]+)、\s*(\S.*)$")  # a bullet may stand before
_SLOT = re.compile(r"^(办理地点|办理时间|咨询电话|投诉电话)\s*[:：]\s*(.*)$")
_SLOT_KINDS = {"办理地点": "place", "办理时间": "hours", "咨询电话": "consult", "投诉电话": "complaint"}
_AREA = re.compile(r"^([\u4e00-\u9fff]+?)\s*[:：]?\s*(?=\d)")
_BARE_NUMBER = re.compile(
    r"^(\d{1,2})\s+(?=[^\d\s.．、])", re.M
)  # "5 办结：…" – an item number without its stop
_PROGRESS_TEXT = re.compile(r"查询办理(?:进度|结果)")
_TIME_LIMIT_TEXT = re.compile(r"办结|个工作日")
_ORDER = (
    "name",
    "target",
    "channels",
    "materials",
    "time_limit",
    "steps",
    "progress",
    "evaluation",
    "remarks",
)
_OPTIONAL = {"remarks"}


@dataclass
class _Heading:
    """A field heading with the indices of its non-blank body lines."""

    index: int
    label: str
    body: list[int] = field(default_factory=list)
    key: str | None = None


@dataclass
class _Section:
    """The lines of one service: title, field headings, local slots and what follows 投诉电话."""

    title: int
    headings: list[_Heading] = field(default_factory=list)
    slots: list[tuple[str, list[int]]] = field(default_factory=list)  # (kind, slot line + continuations)
    trailing: list[int] = field(default_factory=list)


def parse(lines: list[str]) -> ParsedGuide:
    """The 34 services with their fields and one ContactRow per area of their local block."""
    anomalies: list[Anomaly] = []
    titles = [i for i in range(len(lines)) if _is_title(lines, i)]
    ends = [t - 1 for t in titles[1:]] + [len(lines) - 1]
    services = [
        _service(lines, seq, _sort(lines, title, end, anomalies), anomalies)
        for seq, (title, end) in enumerate(zip(titles, ends), start=1)
    ]
    return ParsedGuide(services, anomalies)


def _span(first: int, last: int | None = None) -> Span:
    """0-based indices ``first``..``last`` as a 1-based span."""
    return Span(first + 1, (first if last is None else last) + 1)


def _next_text(lines: list[str], index: int) -> str:
    """The first non-blank line after ``index`` ("" at the end of the file)."""
    return next((line.strip() for line in lines[index + 1 :] if line.strip()), "")


def _is_title(lines: list[str], index: int) -> bool:
    """A service title: a plain line right before the "一、事项名称" heading."""
    line = lines[index].strip()
    following = _HEADING.match(_next_text(lines, index))
    return (
        bool(line)
        and not _HEADING.match(line)
        and following is not None
        and field_key(following.group(0)) == "name"
    )


def _sort(lines: list[str], title: int, end: int, anomalies: list[Anomaly]) -> _Section:
    """Sort the lines of one service into headings, local slots and trailing lines."""
    section = _Section(title)
    in_block = False
    for index in range(title + 1, end + 1):
        line = lines[index].strip()
        if not line:
            continue
        slot = _SLOT.match(line)
        if section.slots and section.slots[-1][0] == "complaint":
            section.trailing.append(index)
        elif marks.LOCAL_OFFICES.match(line):
            in_block = True
        elif slot:
            in_block = True
            section.slots.append((_SLOT_KINDS[slot.group(1)], [index]))
        elif in_block and section.slots:
            section.slots[-1][1].append(index)
        elif _HEADING.match(line) and not in_block:
            label = marks.BULLET.sub("", line)
            section.headings.append(_Heading(index, label, key=field_key(label)))
        elif section.headings and not in_block:
            section.headings[-1].body.append(index)
        else:
            anomalies.append(
                Anomaly(
                    "unplaced_text",
                    f"text outside any field: {line[:30]}",
                    _span(index),
                    lines[title].strip(),
                )
            )
    return section


def _service(lines: list[str], seq: int, section: _Section, anomalies: list[Anomaly]) -> ParsedService:
    """One service from its sorted lines."""
    title = lines[section.title].strip()
    end = _trailing(lines, section, title, anomalies)
    service = ParsedService(name=title, seq=seq, span=_span(section.title, end))
    _check_numerals(section, title, anomalies)
    _recover_progress(lines, section, title, anomalies)
    _recover_remarks(lines, section, title, anomalies)
    for heading in section.headings:
        if heading.key is None:
            anomalies.append(
                Anomaly(
                    "unknown_field",
                    f"heading {heading.label!r} maps to no field",
                    _span(heading.index),
                    title,
                )
            )
        elif not heading.body:
            anomalies.append(
                Anomaly("empty_field", f"{heading.label} has no text", _span(heading.index), title)
            )
        elif heading.key == "name":
            service.name = strip_final_stop(unwrap([lines[i] for i in heading.body]))
        else:
            service.fields.append(_field(lines, heading, title, anomalies))
    _check(service, section, title, anomalies)
    service.contacts = _contacts(lines, section, title, anomalies)
    return service


def _trailing(lines: list[str], section: _Section, title: str, anomalies: list[Anomaly]) -> int:
    """Report what follows 投诉电话; the last index that still belongs to the service."""
    end = max(
        [section.title]
        + [i for _, slot in section.slots for i in slot]
        + [i for h in section.headings for i in [h.index, *h.body]]
    )
    stray = [i for i in section.trailing if not _HEADING.match(lines[i].strip())]
    for index in section.trailing:
        if index not in stray:
            anomalies.append(
                Anomaly(
                    "displaced_heading",
                    f"heading {lines[index].strip()!r} after the local block",
                    _span(index),
                    title,
                )
            )
            end = max(end, index)
    if stray:
        text = " ".join(lines[i].strip() for i in stray)
        anomalies.append(
            Anomaly(
                "unplaced_text", f"text after the local block: {text[:40]}", _span(stray[0], stray[-1]), title
            )
        )
    return end


def _check_numerals(section: _Section, title: str, anomalies: list[Anomaly]) -> None:
    """Report a heading whose numeral is not its field's place in the guide's order."""
    for heading in section.headings:
        if heading.key not in _ORDER:
            continue
        expected = marks.NUMERALS[_ORDER.index(heading.key)]
        numbered = _HEADING.match(heading.label)
        numeral = numbered.group(1) if numbered else None
        if numeral != expected:
            anomalies.append(
                Anomaly(
                    "heading_numeral",
                    f"{heading.label!r} is numbered {numeral}, expected {expected}",
                    _span(heading.index),
                    title,
                )
            )


def _recover_progress(lines: list[str], section: _Section, title: str, anomalies: list[Anomaly]) -> None:
    """Split a 办理进度 paragraph printed without its heading off the end of 办理流程."""
    keys = [h.key for h in section.headings]
    if "progress" in keys or "steps" not in keys:
        return
    steps = section.headings[keys.index("steps")]
    marked = [n for n, i in enumerate(steps.body) if strip_item_marker(lines[i]) != lines[i].strip()]
    gaps = [
        n
        for n in range(marked[-1] + 1 if marked else 1, len(steps.body))
        if steps.body[n] - steps.body[n - 1] > 1
    ]
    if not gaps or not _PROGRESS_TEXT.search(" ".join(lines[i] for i in steps.body[gaps[0] :])):
        return
    orphan, steps.body = steps.body[gaps[0] :], steps.body[: gaps[0]]
    displaced = [i for i in section.trailing if field_key(lines[i].strip()) == "progress"]
    label = lines[displaced[0]].strip() if displaced else ""
    where = f"; its heading is on line {displaced[0] + 1}" if displaced else ""
    anomalies.append(
        Anomaly(
            "missing_heading",
            f"办理进度 text printed under {steps.label} without its heading{where}",
            _span(orphan[0], orphan[-1]),
            title,
        )
    )
    progress = _Heading(orphan[0], label, orphan, "progress")
    section.headings.insert(keys.index("steps") + 1, progress)


def _recover_remarks(lines: list[str], section: _Section, title: str, anomalies: list[Anomaly]) -> None:
    """Take numbered items printed under 服务评价渠道 (with no 备注 heading) as 备注."""
    keys = [h.key for h in section.headings]
    if "remarks" in keys or "evaluation" not in keys:
        return
    evaluation = section.headings[keys.index("evaluation")]
    if len(split_items(unwrap([lines[i] for i in evaluation.body]))) < 2:
        return
    evaluation.key = "remarks"
    anomalies.append(
        Anomaly(
            "misplaced_value",
            f"numbered 备注 items under {evaluation.label} and no 备注 heading",
            _span(evaluation.index, evaluation.body[-1]),
            title,
        )
    )


def _field(lines: list[str], heading: _Heading, title: str, anomalies: list[Anomaly]) -> FieldValue:
    """A field from its body lines; a list number printed without its stop still starts an item."""
    text = unwrap([marks.BULLET.sub("", lines[i].strip()) for i in heading.body])
    span = _span(heading.index, heading.body[-1])
    key = heading.key or heading.label
    value = make_field(key, heading.label, text, span)
    repaired = make_field(key, heading.label, _BARE_NUMBER.sub(r"\1. ", text), span)
    if heading.key in ITEM_KEYS and len(repaired.items) > len(value.items):
        value.items = repaired.items
        anomalies.append(
            Anomaly("malformed_marker", f"{heading.label}: a list number without its stop", span, title)
        )
    return value


def _check(service: ParsedService, section: _Section, title: str, anomalies: list[Anomaly]) -> None:
    """Report a 事项名称 unlike the title, a missing field, and a 办理流程 that stops short."""
    where = _span(section.title)
    if service.name != strip_final_stop(title):
        anomalies.append(
            Anomaly(
                "name_mismatch",
                f"事项名称 {service.name!r} differs from the title {title!r}",
                where,
                service.name,
            )
        )
    keys = {value.key for value in service.fields} | {"name"}
    for key in _ORDER:
        if key not in keys and key not in _OPTIONAL:
            anomalies.append(Anomaly("missing_field", f"no {key} field", where, service.name))
    for value in service.fields:
        if value.key == "steps" and value.items and not value.items[-1].startswith("办结"):
            anomalies.append(
                Anomaly(
                    "incomplete_steps",
                    f"办理流程 ends with {value.items[-1][:12]!r}, no 办结 step",
                    value.span,
                    service.name,
                )
            )
        if value.items and not value.items[-1].endswith(("。", "；", ";", "）", ")")):
            anomalies.append(
                Anomaly(
                    "truncated_text",
                    f"{value.label} ends mid-sentence: {value.items[-1][-12:]!r}",
                    value.span,
                    service.name,
                )
            )


def _contacts(lines: list[str], section: _Section, title: str, anomalies: list[Anomaly]) -> list[ContactRow]:
    """One ContactRow per area of 咨询电话 (area "" for numbers printed without one), sharing the other
    slots."""
    if not section.slots:
        anomalies.append(Anomaly("missing_contacts", "no local contact block", _span(section.title), title))
        return []
    texts = {kind: _slot_texts(lines, slot) for kind, slot in section.slots}
    place, hours = (unwrap(texts.get(kind, [])) or None for kind in ("place", "hours"))
    complaint = find_phones(" ".join(texts.get("complaint", [])))
    block = _span(section.slots[0][1][0], section.slots[-1][1][-1])
    for kind, slot in section.slots:
        value = unwrap(_slot_texts(lines, slot))
        if kind in ("place", "hours") and _TIME_LIMIT_TEXT.search(value):
            anomalies.append(
                Anomaly(
                    "misplaced_value",
                    f"{lines[slot[0]].strip()[:4]} holds a time limit: {value!r}",
                    _span(slot[0], slot[-1]),
                    title,
                )
            )
    missing = [label for label, kind in _SLOT_KINDS.items() if kind not in texts]
    if missing:
        anomalies.append(Anomaly("missing_slot", f"no {'/'.join(missing)}", block, title))
    consult = next((slot for kind, slot in section.slots if kind == "consult"), [])
    areas = _areas(lines, consult) or {"": ([], block.start - 1, block.end - 1)}
    if "" in areas and len(areas) > 1:
        first, last = areas[""][1:]
        text = "".join(t for i, t in zip(consult, texts["consult"]) if first <= i <= last)
        anomalies.append(
            Anomaly(
                "unlabelled_area",
                f"咨询电话 without an area before the areas' ones: {text}",
                _span(first, last),
                title,
            )
        )
    return [
        ContactRow(area, _span(first, last), place, hours, phones, complaint)
        for area, (phones, first, last) in areas.items()
    ]


def _slot_texts(lines: list[str], slot: list[int]) -> list[str]:
    """The texts of a slot's lines: the value after "咨询电话：" and its continuation lines."""
    return [_SLOT.sub(r"\2", lines[i].strip()) if n == 0 else lines[i].strip() for n, i in enumerate(slot)]


def _areas(lines: list[str], consult: list[int]) -> dict[str, tuple[list[str], int, int]]:
    """Phones of the 咨询电话 lines by area, with the first and last line of each area."""
    areas: dict[str, tuple[list[str], int, int]] = {}
    area = ""
    for index, text in zip(consult, _slot_texts(lines, consult)):
        match = _AREA.match(text)
        area = match.group(1) if match else area
        phones, first, _ = areas.get(area, ([], index, index))
        areas[area] = (phones + [p for p in find_phones(text) if p not in phones], first, index)
    return areas
