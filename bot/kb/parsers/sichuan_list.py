"""The 四川省医疗保障经办政务服务事项清单 (2020) as forwarded by 德阳市 (file 001, 附件 1 and 2).

附件 1 is a tab-separated table whose header row repeats with a different first
column ("事项", "主题", "主项"); the 事项 and its code are printed on the first
row of a group only. Each 子项 is one service. 附件 2 holds sample forms
("附表 N" and the form's title): reference material, not services.
"""

from __future__ import annotations

import re

from bot.kb.parsers import marks
from bot.kb.parsers.deyang_doc import document_contacts
from bot.kb.parsers.fields import make_field
from bot.kb.records import Anomaly, ParsedGuide, ParsedService, Span, field_key

_LIST_START = re.compile(r"^附件\s*1$")
_FORMS_START = re.compile(r"^附件\s*2$")
_FORMS_END = re.compile(r"^四川省医疗保障局文件$")
_FORM = re.compile(r"^附表\s*(\d+)$")
_GROUP_NUMERAL = re.compile(rf"^[{marks.NUMERALS}]+、\s*")
_CODE = re.compile(r"\d{12}")
# Columns read by name; the first two (事项/主题/主项 and its code) by position.
_SEQ, _NAME, _CODE_COL = "子项序号", "子项", "子项编码"


def parse(lines: list[str]) -> ParsedGuide:
    """The 子项 of 附件 1 as services and the 附表 of 附件 2 as reference forms."""
    anomalies: list[Anomaly] = []
    start = _find(lines, _LIST_START, 0)
    if start is None:
        anomalies.append(Anomaly("missing_section", "附件 1 (事项清单) not found"))
        return ParsedGuide([], anomalies, document_contacts(lines))
    forms_start = _find(lines, _FORMS_START, start) or len(lines)
    forms_end = _find(lines, _FORMS_END, forms_start) or len(lines)
    services = _table(lines, start, forms_start, anomalies)
    forms = _forms(lines, forms_start, forms_end, anomalies)
    return ParsedGuide(services, anomalies, document_contacts(lines), forms)


def _find(lines: list[str], pattern: re.Pattern[str], start: int) -> int | None:
    """Index of the first line from ``start`` matching ``pattern``."""
    return next((i for i in range(start, len(lines)) if pattern.match(lines[i].strip())), None)


def _table(lines: list[str], start: int, end: int, anomalies: list[Anomaly]) -> list[ParsedService]:
    """One service per data row; the group and its code are carried down blank cells."""
    services: list[ParsedService] = []
    header: list[str] = []
    group = group_code = ""
    for index in range(start, end):
        if "\t" not in lines[index]:
            continue
        cells = [cell.strip() for cell in lines[index].split("\t")]
        span = Span(index + 1, index + 1)
        if _SEQ in cells:
            header = cells
            continue
        if not header or not cells[header.index(_SEQ)].isdigit():
            anomalies.append(
                Anomaly("unplaced_row", f"table row without a 子项序号: {lines[index][:40]}", span)
            )
            continue
        if any(cells[len(header) :]):
            anomalies.append(Anomaly("extra_cell", "row has more cells than its header", span))
        group = _GROUP_NUMERAL.sub("", cells[0]) or group
        group_code = cells[1] or group_code
        services.append(_service(header, cells, group, group_code, span, anomalies))
    _check_sequence(services, anomalies)
    _check_codes(services, anomalies)
    return services


def _service(
    header: list[str], cells: list[str], group: str, group_code: str, span: Span, anomalies: list[Anomaly]
) -> ParsedService:
    """The service of one data row."""
    row = dict(zip(header, cells))
    name = row[_NAME]
    service = ParsedService(
        name=name,
        seq=int(row[_SEQ]),
        span=span,
        group=group,
        codes={"事项编码": group_code, "子项编码": row[_CODE_COL]},
    )
    for label in header[2:]:
        if label in (_SEQ, _NAME, _CODE_COL) or not row.get(label):
            continue
        key = field_key(label)
        if key is None:
            anomalies.append(Anomaly("unknown_field", f"column {label!r} maps to no field", span, name))
            continue
        service.fields.append(make_field(key, label, row[label], span))
    return service


def _check_sequence(services: list[ParsedService], anomalies: list[Anomaly]) -> None:
    """子项序号 must count 1, 2, 3, …"""
    for expected, service in enumerate(services, start=1):
        if service.seq != expected:
            anomalies.append(
                Anomaly(
                    "out_of_order", f"子项序号 {service.seq}, expected {expected}", service.span, service.name
                )
            )


def _check_codes(services: list[ParsedService], anomalies: list[Anomaly]) -> None:
    """Report each code that is not 12 digits once, and a 子项编码 outside its 事项's code range."""
    seen: set[str] = set()
    for service in services:
        group_code, code = service.codes["事项编码"], service.codes["子项编码"]
        for value in (group_code, code):
            if value not in seen and not _CODE.fullmatch(value):
                anomalies.append(
                    Anomaly("odd_code", f"code {value!r} is not 12 digits", service.span, service.name)
                )
            seen.add(value)
        if code[:9] != group_code[:9]:
            anomalies.append(
                Anomaly(
                    "code_mismatch",
                    f"子项编码 {code} does not start like 事项编码 {group_code}",
                    service.span,
                    service.name,
                )
            )


def _forms(lines: list[str], start: int, end: int, anomalies: list[Anomaly]) -> list[tuple[str, Span]]:
    """("附表 3 城乡居民基本医疗保险参保登记表", lines of the form) for each sample form."""
    headed = [(i, int(m.group(1))) for i in range(start, end) if (m := _FORM.match(lines[i].strip()))]
    forms: list[tuple[str, Span]] = []
    for pos, (index, number) in enumerate(headed):
        stop = headed[pos + 1][0] if pos + 1 < len(headed) else end
        body = [i for i in range(index + 1, stop) if lines[i].strip()]
        if not body:
            anomalies.append(
                Anomaly("missing_field", f"附表 {number} has no title", Span(index + 1, index + 1))
            )
            continue
        forms.append((f"附表 {number} {lines[body[0]].strip()}", Span(index + 1, body[-1] + 1)))
        if pos and number != headed[pos - 1][1] + 1:
            missing = ", ".join(str(n) for n in range(headed[pos - 1][1] + 1, number))
            anomalies.append(
                Anomaly("missing_form", f"附表 {missing} not in the file", Span(index + 1, index + 1))
            )
    return forms
