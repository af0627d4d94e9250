"""The 川渝通办 医疗保障经办政务服务事项办事指南 (file 003), valid in 四川省 and 重庆市.

Twelve services with twenty numbered fields ("一、事项名称" … "二十、办理进程和结果查询").
Services are grouped under headings that look like field headings (" 二、异地就医结算备案"):
a heading followed by "一、事项名称" is a service of its own, one followed by a
numbered title ("1．异地安置退休人员备案") and then "一、事项名称" heads a group.
Values that differ by region ("四川省：…；重庆市：…", paragraphs starting "四川省：")
become one FieldValue per region. After the services come the sample forms 表1-表6
and TAB-prefixed table cells cut at a fixed width; they only repeat parts of six services,
so they are checked against the main text and reported, not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.kb.parsers import marks
from bot.kb.parsers.fields import make_field
from bot.kb.parsers.text import (
    cn_number,
    find_phones,
    line_span,
    list_items,
    normalise,
    strip_final_stop,
    unwrap,
)
from bot.kb.records import Anomaly, ContactRow, FieldValue, ParsedGuide, ParsedService, Span, field_key

_SUB_TITLE = re.compile(r"^(\d+)\s*[.．]\s*(\S.*)$")
_FORM = re.compile(r"^表\s*\d+$")
_PAGE = re.compile(r"^-\s*\d+\s*-$")
_REGION = re.compile(r"^(四川省|重庆市)：")
_REGION_CUT = re.compile(r"(?<=；)(?=(?:四川省|重庆市)：)")
_CODE = re.compile(r"(四川省|重庆市)：\s*([0-9A-Za-z]+|无)")
_SENTENCE_END = re.compile(r"(?<=。)\s*")
# a sentence whose subject is one province ("四川省…参保人员登录…"), after an item's label ("1. 申请：")
_LED = re.compile(r"^(\d+\s*[.．]\s*[^：:。]{0,8}[：:]\s*)?(四川省|重庆市)(?!、)")
_FIELD_COUNT = 20

Body = list[tuple[int, str]]  # (line index, stripped text)


@dataclass
class _Section:
    """The lines of one service: its title, group and numbered fields."""

    title: str | None
    group: str | None
    start: int
    end: int
    fields: list[tuple[int, str, int, Body]] = field(default_factory=list)  # (number, label, heading, body)


def parse(lines: list[str]) -> ParsedGuide:
    """The twelve services, their per-region values, the sample forms and a check of the detached cells."""
    anomalies: list[Anomaly] = []
    forms_start = next((i for i, line in enumerate(lines) if _FORM.match(line.strip())), len(lines))
    cells = [i for i, line in enumerate(lines) if line.startswith("\t") and line.strip()]
    tail = cells[0] if cells else len(lines)
    entries = [
        (i, lines[i].strip())
        for i in range(min(forms_start, tail))
        if lines[i].strip() and not _PAGE.match(lines[i].strip())
    ]
    sections = _sections(entries, anomalies)
    services = [_service(seq, section, anomalies) for seq, section in enumerate(sections, start=1)]
    _report_annex(services, anomalies)
    anomalies += _detached_cells(lines, cells, sections, services)
    return ParsedGuide(services, anomalies, reference_forms=_forms(lines, forms_start, tail))


def _sections(entries: Body, anomalies: list[Anomaly]) -> list[_Section]:
    """Sort the non-blank lines into services, telling group headings from field headings by what follows."""
    sections: list[_Section] = []
    group: str | None = None
    title: tuple[str, int] | None = None
    numbering: list[list[int]] = []  # per group heading: its number, then the numbers of its services
    for k, (index, text) in enumerate(entries):
        ahead = [t for _, t in entries[k + 1 : k + 3]]
        heading, sub = marks.NUMBERED.match(text), _SUB_TITLE.match(text)
        if heading and ahead[:1] == [marks.FIRST_FIELD]:  # a group of one: the heading titles the service
            group, title = None, (heading.group(2), index)
            numbering.append([cn_number(heading.group(1))])
        elif heading and len(ahead) == 2 and _SUB_TITLE.match(ahead[0]) and ahead[1] == marks.FIRST_FIELD:
            group, title = heading.group(2), None
            numbering.append([cn_number(heading.group(1))])
        elif sub and ahead[:1] == [marks.FIRST_FIELD]:
            title = (sub.group(2), index)
            if not numbering:
                numbering.append([0])
            numbering[-1].append(int(sub.group(1)))
        elif text == marks.FIRST_FIELD:
            if title is None:
                anomalies.append(
                    Anomaly("missing_title", "事项名称 without a service title", line_span(index))
                )
            start = title[1] if title else index
            sections.append(_Section(title[0] if title else None, group, start, index))
            sections[-1].fields.append((1, text.split("、", 1)[1], index, []))
            title = None
        elif not sections:
            anomalies.append(
                Anomaly("unplaced_text", f"text before the first service: {text[:30]}", line_span(index))
            )
        elif heading:
            sections[-1].fields.append((cn_number(heading.group(1)), heading.group(2), index, []))
            sections[-1].end = index
        else:
            sections[-1].fields[-1][3].append((index, text))
            sections[-1].end = index
    _check_numbering(numbering, anomalies)
    return sections


def _check_numbering(numbering: list[list[int]], anomalies: list[Anomaly]) -> None:
    """Group headings must count 一, 二, … and the services under each 1, 2, …"""
    groups = [numbers[0] for numbers in numbering]
    if groups != list(range(1, len(groups) + 1)):
        anomalies.append(Anomaly("out_of_order", f"group headings numbered {groups}"))
    for group, *subs in numbering:
        if subs and subs != list(range(1, len(subs) + 1)):
            anomalies.append(Anomaly("out_of_order", f"services of group {group} numbered {subs}"))


def _service(seq: int, section: _Section, anomalies: list[Anomaly]) -> ParsedService:
    """One service from its numbered fields."""
    service = ParsedService(
        name=section.title or "", seq=seq, span=line_span(section.start, section.end), group=section.group
    )
    for _, label, heading, body in section.fields:
        key = field_key(label)
        where = line_span(heading, body[-1][0] if body else heading)
        texts = [text for _, text in body]
        if key is None:
            anomalies.append(
                Anomaly("unknown_field", f"heading {label!r} maps to no field", where, service.name)
            )
        elif key == "name":
            service.name = strip_final_stop(unwrap(texts))
        elif key == "codes":
            service.codes = _codes(unwrap(texts), where, service.name, anomalies)
        elif key == "supervision":
            service.contacts.append(_complaint_row(unwrap(texts), where, service.name, anomalies))
        elif body:
            service.fields += _values(key, label, heading, body)
        elif key == "consult_channel":  # "（附件 3）": the heading is all the guide says here
            service.fields.append(make_field(key, label, label, where))
        else:
            anomalies.append(Anomaly("empty_field", f"{label} has no text", where, service.name))
    _check(service, section, anomalies)
    return service


def _check(service: ParsedService, section: _Section, anomalies: list[Anomaly]) -> None:
    """Report a 事项名称 that differs from the title and field numbering other than 一…二十."""
    where = line_span(section.start)
    if section.title and re.sub(r"\s", "", strip_final_stop(section.title)) != re.sub(
        r"\s", "", service.name
    ):
        anomalies.append(
            Anomaly(
                "name_mismatch", f"事项名称 {service.name!r} ≠ title {section.title!r}", where, service.name
            )
        )
    numbers = [number for number, _, _, _ in section.fields]
    if numbers != list(range(1, _FIELD_COUNT + 1)):
        anomalies.append(Anomaly("missing_field", f"fields numbered {numbers}", where, service.name))


def _values(key: str, label: str, heading: int, body: Body) -> list[FieldValue]:
    """The field's shared text (scope None, from the heading on) and one value per region it names ("四川省：
    …")."""
    chunks: list[tuple[str | None, Body]] = [(None, [])]
    for index, text in body:
        for piece in _REGION_CUT.split(text):
            region = _REGION.match(piece)
            if region:
                chunks.append((region.group(1), [(index, piece[region.end() :])]))
            else:
                chunks[-1][1].append((index, piece))
    values = [
        _value(key, label, scope, part, part[0][0] if scope else heading) for scope, part in chunks if part
    ]
    return [scoped for value in values for scoped in _by_province(value)]


def _by_province(value: FieldValue) -> list[FieldValue]:
    """A shared value whose sentences speak of one province each ("四川省…登录…小程序办理。重庆市…渝快办 APP…
    办理。") as one value per province, each without the other's sentences (same source lines); any other
    value as it is."""
    sentences = [s for s in _SENTENCE_END.split(value.text) if s]
    leads = [_LED.match(s) for s in sentences]
    provinces = {lead.group(2) for lead in leads if lead}
    if value.scope or len(provinces) < 2:
        return [value]
    scoped = []
    for province in sorted(provinces):
        kept, label = [], ""
        for sentence, lead in zip(sentences, leads):
            if lead is None:
                kept.append(sentence)
                label = ""
                continue
            label = lead.group(1) or label  # the item's label leads its first province's sentence only
            if lead.group(2) == province:
                kept.append(label + sentence[len(lead.group(1) or "") :])
        one = make_field(value.key, value.label, " ".join(kept), value.span)
        one.scope = province
        if not one.items and value.key != "time_limit":
            one.items = list_items(one.text)
        scoped.append(one)
    return scoped


def _value(key: str, label: str, scope: str | None, part: Body, first: int) -> FieldValue:
    """One (possibly regional) value; numbered text gets its items."""
    text = unwrap([text for _, text in part])
    if scope:
        text = text.rstrip("；")  # the separator before the next region
    if key == "dates":
        text = strip_final_stop(text)
    value = make_field(key, label, text, line_span(first, part[-1][0]))
    value.scope = scope
    if not value.items and key != "time_limit":
        value.items = list_items(text)
    return value


def _codes(text: str, where: Span, name: str, anomalies: list[Anomaly]) -> dict[str, str]:
    """ "四川省：512036001008；重庆市：无。" -> {"四川省": "512036001008"}; a region without a code is
    reported."""
    codes = dict(_CODE.findall(text))
    missing = [region for region, code in codes.items() if code == "无"]
    if missing or not codes:
        anomalies.append(Anomaly("no_code", f"no 事项编码 for {'、'.join(missing) or text}", where, name))
    return {region: code for region, code in codes.items() if code != "无"}


def _complaint_row(text: str, where: Span, name: str, anomalies: list[Anomaly]) -> ContactRow:
    """ "投诉电话：12345政务服务便民热线。" -> a row for the whole guide with the complaint hotline."""
    phones = find_phones(text)
    if not phones:
        anomalies.append(Anomaly("missing_phone", f"监督投诉渠道 without a phone: {text[:30]}", where, name))
    return ContactRow(area="", span=where, complaint=phones)


def _report_annex(services: list[ParsedService], anomalies: list[Anomaly]) -> None:
    """One anomaly for the 附件 3 that the consult fields point to but the file does not hold."""
    pointing = [f for s in services for f in s.fields if f.key == "consult_channel" and f.text == f.label]
    if pointing:
        anomalies.append(
            Anomaly(
                "missing_annex",
                f"{len(pointing)} services give 咨询方式、办理地址和时间 only as "
                f"{pointing[0].label!r}; the annex is not in the file",
                pointing[0].span,
            )
        )


def _compact(text: str) -> str:
    return re.sub(r"\s", "", normalise(text))


def _detached_cells(
    lines: list[str], cells: list[int], sections: list[_Section], services: list[ParsedService]
) -> list[Anomaly]:
    """Place every TAB-prefixed cell in the main text of the service(s) it repeats.

    A cell found in the main text adds nothing (it is a truncated copy); a cell
    found nowhere is reported on its own line.
    """
    texts = [_compact("".join(lines[s.start : s.end + 1])) for s in sections]
    found: list[Anomaly] = []
    owners: list[str] = []
    placed = 0
    for index in cells:
        matches = [svc.name for svc, text in zip(services, texts) if _compact(lines[index]) in text]
        if not matches:
            found.append(
                Anomaly(
                    "unplaced_cell",
                    f"detached cell not in the main text: {lines[index].strip()[:40]}",
                    line_span(index),
                )
            )
            continue
        placed += 1
        if len(matches) == 1 and matches[0] not in owners:
            owners.append(matches[0])
    if placed:
        found.insert(
            0,
            Anomaly(
                "detached_cells",
                f"{placed} of {len(cells)} TAB-prefixed table cells repeat, cut at a fixed width, "
                f"the main text of {', '.join(owners)}; nothing taken from them",
                line_span(cells[0], cells[-1]),
            ),
        )
    return found


def _forms(lines: list[str], start: int, stop: int) -> list[tuple[str, Span]]:
    """The sample forms "表1 异地就医登记备案表" … with their lines."""
    heads = [i for i in range(start, stop) if _FORM.match(lines[i].strip())]
    forms = []
    for head, after in zip(heads, heads[1:] + [stop]):
        body = [i for i in range(head + 1, after) if lines[i].strip()]
        title = lines[body[0]].strip() if body else ""
        forms.append((f"{lines[head].strip()} {title}".strip(), line_span(head, body[-1] if body else head)))
    return forms
