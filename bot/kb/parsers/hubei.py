"""The 湖北省医疗保障经办政务服务事项办事指南 (file 004, 附件 2).

Twenty-eight services titled "1. 单位参保登记" … with ten headings each
(一、事项名称 … 十、评价渠道). Each service ends with a flowchart whose caption
("单位参保登记办理流程图") and box labels ("需要补正申请材料") the conversion kept
as loose lines: everything from the caption to the next title is dropped.
A "备注：" under 六、办理材料 becomes a remarks field of its own. The guide names no
phone: 八、咨询方式 and 九、监督电话 are texts, kept as fields, and no contact row is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.kb.parsers import marks
from bot.kb.parsers.fields import make_field
from bot.kb.parsers.text import line_span, list_items, strip_final_stop, unwrap
from bot.kb.records import Anomaly, ParsedGuide, ParsedService, field_key

_TITLE = re.compile(r"^(\d+)\.\s*(\S.*)$")
_CAPTION = re.compile(r"流程图$")
_NOTE = re.compile(r"^备注\s*[:：]\s*")
_EXPECTED = (
    "name",
    "accepting_body",
    "target",
    "channels",
    "steps",
    "materials",
    "time_limit",
    "consult_channel",
    "supervision",
    "evaluation",
)

Body = list[tuple[int, str]]  # (line index, stripped text)


@dataclass
class _Section:
    """The lines of one service; ``diagram`` holds the flowchart lines after the caption."""

    seq: int
    title: str
    start: int
    end: int
    fields: list[tuple[str, int, Body]] = field(default_factory=list)  # (label, heading, body)
    diagram: list[int] = field(default_factory=list)


def parse(lines: list[str]) -> ParsedGuide:
    """The 28 services with their fields; flowchart text is dropped, box labels are reported."""
    anomalies: list[Anomaly] = []
    entries = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    services = [_service(section, lines, anomalies) for section in _sections(entries, anomalies)]
    for expected, service in enumerate(services, start=1):
        if service.seq != expected:
            anomalies.append(
                Anomaly(
                    "out_of_order",
                    f"service numbered {service.seq}, expected {expected}",
                    service.span,
                    service.name,
                )
            )
    return ParsedGuide(services, anomalies)


def _sections(entries: Body, anomalies: list[Anomaly]) -> list[_Section]:
    """Sort the non-blank lines into services; the lines before the first title are the document's heading."""
    sections: list[_Section] = []
    for k, (index, text) in enumerate(entries):
        title = _TITLE.match(text)
        heading = marks.NUMBERED.match(text)
        if title and [t for _, t in entries[k + 1 : k + 2]] == [marks.FIRST_FIELD]:
            sections.append(_Section(int(title.group(1)), title.group(2), index, index))
            continue
        if not sections:
            continue
        section = sections[-1]
        if section.diagram or _CAPTION.search(text):
            section.diagram.append(index)
            continue
        if heading:
            section.fields.append((heading.group(2), index, []))
        elif _NOTE.match(text):
            section.fields.append(("备注", index, [(index, _NOTE.sub("", text))]))
        elif section.fields:
            section.fields[-1][2].append((index, marks.BULLET.sub("", text)))
        else:
            anomalies.append(
                Anomaly(
                    "unplaced_text",
                    f"text before the first heading: {text[:30]}",
                    line_span(index),
                    section.title,
                )
            )
        section.end = index
    return sections


def _service(section: _Section, lines: list[str], anomalies: list[Anomaly]) -> ParsedService:
    """One service from its fields."""
    service = ParsedService(name=section.title, seq=section.seq, span=line_span(section.start, section.end))
    for label, heading, body in section.fields:
        key = field_key(label)
        where = line_span(heading, body[-1][0] if body else heading)
        text = unwrap([text for _, text in body])
        if key is None:
            anomalies.append(
                Anomaly("unknown_field", f"heading {label!r} maps to no field", where, service.name)
            )
        elif not text:
            anomalies.append(Anomaly("empty_field", f"{label} has no text", where, service.name))
        elif key == "name":
            service.name = strip_final_stop(text)
        else:
            value = make_field(key, label, text, where)
            if not value.items and key != "time_limit":
                value.items = list_items(text)
            service.fields.append(value)
    _check(service, section, lines, anomalies)
    return service


def _check(service: ParsedService, section: _Section, lines: list[str], anomalies: list[Anomaly]) -> None:
    """Report a 事项名称 that differs from the title, a missing heading and flowchart labels that were
    dropped."""
    where = line_span(section.start)
    if re.sub(r"\s", "", section.title) != re.sub(r"\s", "", service.name):
        anomalies.append(
            Anomaly(
                "name_mismatch", f"事项名称 {service.name!r} ≠ title {section.title!r}", where, service.name
            )
        )
    keys = {field_key(label) for label, _, _ in section.fields}
    for key in _EXPECTED:
        if key not in keys:
            anomalies.append(Anomaly("missing_field", f"no {key} heading", where, service.name))
    if not section.diagram:
        anomalies.append(
            Anomaly("missing_flowchart", "no flowchart caption after the fields", where, service.name)
        )
    for index in section.diagram[1:]:
        anomalies.append(
            Anomaly(
                "flowchart_text",
                f"flowchart label dropped: {lines[index].strip()}",
                line_span(index),
                service.name,
            )
        )
