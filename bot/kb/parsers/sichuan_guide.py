"""The 四川省医疗保障经办政务服务办事指南 (2020) as forwarded by 德阳市 (file 001, second half).

Services are titled "一、单位参保登记" … "四十、…"; fields are headed "(一) 事项名称"
or "（一）事项名称". Each ends with "(以下内容以各经办机构公布的为准)" and the
local slots 办理地点 / 办理时间 / 咨询电话 / 投诉电话 / 网办渠道, which this
province-wide text leaves blank and which the PDF conversion sometimes moved
up among the fields of the same service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.kb.parsers import marks
from bot.kb.parsers.deyang_doc import document_contacts
from bot.kb.parsers.fields import make_field
from bot.kb.parsers.text import cn_number, find_phones, strip_final_stop, unwrap
from bot.kb.records import Anomaly, ContactRow, ParsedGuide, ParsedService, Span, field_key

_START = re.compile(r"^医疗保障经办政务服务办事指南$")
_END = re.compile(r"^信息公开选项")
_TITLE = re.compile(rf"^\**([{marks.NUMERALS}]+)、(.+?)\**$")
_HEADING = re.compile(rf"^[(（]\s*([{marks.NUMERALS}]+)\s*[)）]\s*(\S.*)$")
_SLOT = re.compile(r"^(办理地点|办理时间|办理[(（]咨询[)）]电话|咨询电话|投诉电话|网办渠道)\s*[:：]\s*(.*)$")
_EXPECTED = ("name", "target", "channels", "materials", "time_limit", "steps", "progress", "evaluation")
_CORE_SLOTS = ("place", "hours", "consult", "complaint")


@dataclass
class _Section:
    """The lines of one service, sorted into title, fields and local slots."""

    seq: int
    title: str
    start: int
    end: int = 0
    fields: list[tuple[str, int, list[tuple[int, str]]]] = field(default_factory=list)
    slots: list[tuple[int, str, str]] = field(default_factory=list)  # (line index, kind, value)
    marker: int | None = None


def parse(lines: list[str]) -> ParsedGuide:
    """The 40 services of the 办事指南 with their fields and their (blank) local contact block."""
    anomalies: list[Anomaly] = []
    contacts = document_contacts(lines)
    start = next((i for i, line in enumerate(lines) if _START.match(line.strip())), None)
    if start is None:
        anomalies.append(Anomaly("missing_section", "办事指南 heading not found"))
        return ParsedGuide([], anomalies, contacts)
    end = next((i for i in range(start, len(lines)) if _END.match(lines[i].strip())), len(lines))
    document_phones = {contact.phone for contact in contacts}
    services = [
        _service(section, document_phones, anomalies)
        for section in _sections(lines, start + 1, end, anomalies)
    ]
    for expected, service in enumerate(services, start=1):
        if service.seq != expected:
            anomalies.append(
                Anomaly(
                    "out_of_order", f"service {service.seq}, expected {expected}", service.span, service.name
                )
            )
    return ParsedGuide(services, anomalies, contacts)


def _sections(lines: list[str], start: int, end: int, anomalies: list[Anomaly]) -> list[_Section]:
    """Sort the lines between ``start`` and ``end`` into sections."""
    sections: list[_Section] = []
    in_title = False
    for index in range(start, end):
        line = lines[index].strip()
        if not line:
            continue
        title = _TITLE.match(line)
        heading = _HEADING.match(line)
        slot = _SLOT.match(line)
        continues_title, in_title = in_title, bool(title)
        if title:
            sections.append(_Section(cn_number(title.group(1)), title.group(2), index))
        elif not sections:
            anomalies.append(
                Anomaly("unplaced_text", f"text before the first service: {line[:30]}", _span(index))
            )
            continue
        elif heading:
            sections[-1].fields.append((heading.group(2), index, []))
        elif slot:
            sections[-1].slots.append((index, _slot_kind(slot.group(1)), slot.group(2).strip()))
        elif marks.LOCAL_OFFICES.match(line):
            sections[-1].marker = index
        elif continues_title:
            sections[-1].title += line.strip("*")
            in_title = True
        elif sections[-1].fields:
            sections[-1].fields[-1][2].append((index, line))
        else:
            anomalies.append(Anomaly("unplaced_text", f"text outside any field: {line[:30]}", _span(index)))
        sections[-1].end = index
    return sections


def _slot_kind(label: str) -> str:
    """ "办理（咨询）电话" -> "consult"."""
    for word, kind in (("地点", "place"), ("时间", "hours"), ("咨询", "consult"), ("投诉", "complaint")):
        if word in label:
            return kind
    return "online"


def _span(index: int, last: int | None = None) -> Span:
    """Lines ``index``..``last`` (0-based indices) as a 1-based span."""
    return Span(index + 1, (index if last is None else last) + 1)


def _service(section: _Section, phones: set[str], anomalies: list[Anomaly]) -> ParsedService:
    """One service from its sorted lines."""
    service = ParsedService(name=section.title, seq=section.seq, span=_span(section.start, section.end))
    for label, heading, body in section.fields:
        key = field_key(label)
        if key is None:
            anomalies.append(
                Anomaly("unknown_field", f"heading {label!r} maps to no field", _span(heading), section.title)
            )
        elif not body:
            anomalies.append(Anomaly("empty_field", f"{label} has no text", _span(heading), section.title))
        elif key == "name":
            service.name = strip_final_stop(unwrap([text for _, text in body]))
        else:
            text = unwrap([marks.BULLET.sub("", text) for _, text in body])
            service.fields.append(make_field(key, label, text, _span(heading, body[-1][0])))
    _check(service, section, anomalies)
    service.contacts = _contacts(service, section, phones, anomalies)
    return service


def _check(service: ParsedService, section: _Section, anomalies: list[Anomaly]) -> None:
    """Report a 事项名称 that differs from the title and a missing field."""
    where = _span(section.start)
    if service.name != section.title:
        anomalies.append(
            Anomaly(
                "name_mismatch", f"事项名称 {service.name!r} ≠ title {section.title!r}", where, service.name
            )
        )
    keys = {field_key(label) for label, _, body in section.fields if body}
    for key in _EXPECTED:
        if key not in keys:
            anomalies.append(Anomaly("missing_field", f"no {key} heading", where, service.name))


def _contacts(
    service: ParsedService, section: _Section, phones: set[str], anomalies: list[Anomaly]
) -> list[ContactRow]:
    """The local block as one ContactRow for the whole guide (area ""), and 网办渠道 as a field."""
    if section.marker is None and not section.slots:
        anomalies.append(
            Anomaly("missing_contacts", "no local contact block", _span(section.start), service.name)
        )
        return []
    last_heading = section.fields[-1][1] if section.fields else section.start
    block = [i for i, _, _ in section.slots] + ([section.marker] if section.marker is not None else [])
    displaced = sorted(i for i in block if i < last_heading)
    if displaced:
        anomalies.append(
            Anomaly(
                "displaced_slot",
                "local slots among the fields on lines " + ", ".join(str(i + 1) for i in displaced),
                _span(displaced[0], displaced[-1]),
                service.name,
            )
        )
    kept = [i for i in block if i > last_heading] or block
    row = ContactRow(area="", span=_span(min(kept), max(kept)))
    for index, kind, value in section.slots:
        if kind == "online":
            if value:
                service.fields.append(make_field("online", "网办渠道", value, _span(index)))
        elif kind in ("consult", "complaint"):
            getattr(row, kind).extend(_citizen_phones(value, phones, index, service.name, anomalies))
        elif value:
            setattr(row, kind, value)
    kinds = {kind for _, kind, _ in section.slots}
    missing = [kind for kind in _CORE_SLOTS if kind not in kinds]
    if missing:
        anomalies.append(Anomaly("missing_slot", f"no {', '.join(missing)} slot", row.span, service.name))
    return [row]


def _citizen_phones(
    value: str, document: set[str], index: int, name: str, anomalies: list[Anomaly]
) -> list[str]:
    """Phones of a slot, without the document's own contact numbers."""
    kept = []
    for phone in find_phones(value):
        if phone in document:
            anomalies.append(
                Anomaly("document_phone_in_slot", f"{phone} is a document contact", _span(index), name)
            )
        else:
            kept.append(phone)
    return kept
