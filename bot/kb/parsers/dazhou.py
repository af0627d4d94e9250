"""Parser for the 达州市 办事指南 (40 services, each with a table of local contacts).

Layout: a service heading "一、单位参保登记" (it may wrap onto a later line),
fields "（一）事项名称" … "（九）备注", and a table whose header is
"\\t办理地点 / \\t办理时间（工作日） / \\t咨询电话 / \\t投诉电话" followed by one
row per area: "\\t<area>", then one tab-led line per cell (place, hours,
consult, complaint); untabbed lines continue the previous cell.

The conversion displaced some tables: a table may stand above its service's
heading, inside the previous service or inside a field. There are as many
tables as services and the k-th table belongs to the k-th service; tables out
of their service's range are reported as ``displaced_table``. A service's span
covers its heading and fields; each ContactRow carries its own span.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.kb.parsers import marks
from bot.kb.parsers.text import cn_number, find_phones, split_items, strip_final_stop, unwrap
from bot.kb.records import Anomaly, ContactRow, FieldValue, ParsedGuide, ParsedService, Span, field_key

AREAS = ("市本级", "通川区", "达川区", "宣汉县", "开江县", "大竹县", "渠县", "万源市")
HEADER = ["办理地点", "办理时间（工作日）", "咨询电话", "投诉电话"]
CELLS = ("place", "hours", "consult", "complaint")
LIST_KEYS = {"materials", "steps", "remarks"}
REQUIRED_KEYS = ("name", "target", "channels", "materials", "time_limit", "steps", "evaluation")

_SERVICE = re.compile(rf"^\s*([{marks.NUMERALS}]+)、\s*(\S.*?)\s*$")
_FIELD = re.compile(rf"^\s*（([{marks.NUMERALS}]+)）\s*(\S.*?)\s*$")
_AREA_NUMBER = re.compile(r"(0\d{2,3})-(\d+)")


@dataclass
class _Row:
    area: str
    start: int  # 0-based index of the area line
    cells: list[list[int]] = field(default_factory=list)  # line indices per cell

    def end(self) -> int:
        return max([self.start] + [i for cell in self.cells for i in cell])


@dataclass
class _Table:
    start: int
    end: int = 0  # exclusive
    header: list[list[int]] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)

    def span(self) -> Span:
        return Span(self.start + 1, self.end)


def _read_table(lines: list[str], start: int, stop: int, anomalies: list[Anomaly]) -> _Table:
    """Read the table whose header starts at ``start``; ``stop`` is where the next table starts."""
    table = _Table(start)
    cells = table.header
    for i in range(start, stop):
        line = lines[i]
        if not line.strip() and not line.startswith("\t"):
            continue
        row = table.rows[-1] if table.rows else None
        if line.startswith("\t") and line.strip() in AREAS:
            table.rows.append(_Row(line.strip(), i))
            cells = table.rows[-1].cells
        elif line.startswith("\t"):
            if row and len(row.cells) == len(CELLS):
                anomalies.append(
                    Anomaly(
                        "extra_cell",
                        f"{row.area}: cell '{line.strip()}' beyond the {len(CELLS)} columns ignored",
                        Span(i + 1, i + 1),
                    )
                )
                continue
            cells.append([i])
        elif (row and len(row.cells) == len(CELLS)) or _SERVICE.match(line) or _FIELD.match(line):
            break
        elif cells:
            cells[-1].append(i)
        else:
            anomalies.append(
                Anomaly("unplaced_text", f"'{line.strip()}' in a table before any cell", Span(i + 1, i + 1))
            )
    table.end = max([i for c in table.header for i in c] + [r.end() for r in table.rows]) + 1
    return table


def _find_tables(lines: list[str], anomalies: list[Anomaly]) -> list[_Table]:
    starts = [i for i, line in enumerate(lines) if line.startswith("\t") and line.strip() == "办理地点"]
    starts = [i - 1 if i and lines[i - 1] == "\t" else i for i in starts]  # the empty corner cell
    bounds = starts[1:] + [len(lines)]
    return [_read_table(lines, a, b, anomalies) for a, b in zip(starts, bounds)]


def _contacts(lines: list[str], table: _Table, service: str, anomalies: list[Anomaly]) -> list[ContactRow]:
    """Turn the table rows into ContactRow objects, reporting missing and odd cells."""
    header = ["".join(lines[i].strip() for i in cell) for cell in table.header]
    header = [text for text in header if text]  # the empty corner cell
    if header != HEADER:
        anomalies.append(Anomaly("unexpected_header", f"table header {header}", table.span(), service))
    seen = [row.area for row in table.rows]
    for area in AREAS:
        if area not in seen:
            anomalies.append(Anomaly("missing_row", f"no row for {area} in the table", table.span(), service))
    return [_contact(lines, row, service, anomalies) for row in table.rows]


def _contact(lines: list[str], row: _Row, service: str, anomalies: list[Anomaly]) -> ContactRow:
    contact = ContactRow(row.area, Span(row.start + 1, row.end() + 1))
    if len(row.cells) < len(CELLS):
        anomalies.append(
            Anomaly(
                "missing_cell", f"{row.area}: {len(row.cells)} of {len(CELLS)} cells", contact.span, service
            )
        )
    for name, cell in zip(CELLS, row.cells):
        text = "\n".join(lines[i] for i in cell)
        span = Span(cell[0] + 1, cell[-1] + 1)
        if not text.strip():
            anomalies.append(Anomaly("blank_cell", f"{row.area}: {name} is blank", span, service))
        elif name in ("consult", "complaint"):
            setattr(contact, name, find_phones(text))
            _check_phone_cell(text, getattr(contact, name), f"{row.area} {name}", span, service, anomalies)
        else:
            setattr(contact, name, unwrap([lines[i] for i in cell]))
    return contact


def _check_phone_cell(
    text: str, phones: list[str], what: str, span: Span, service: str, anomalies: list[Anomaly]
) -> None:
    if not phones:
        anomalies.append(Anomaly("unparsed_phone", f"{what}: no phone in '{text.strip()}'", span, service))


def _check_phone_lengths(services: list[ParsedService], anomalies: list[Anomaly]) -> None:
    """Flag numbers whose local part is longer or shorter than usual for their area code."""
    numbers = [
        (s, c, m.groups())
        for s in services
        for c in s.contacts
        for p in c.consult + c.complaint
        if (m := _AREA_NUMBER.match(p))
    ]
    lengths: dict[str, Counter[int]] = {}
    for _, _, (code, local) in numbers:
        lengths.setdefault(code, Counter())[len(local)] += 1
    usual = {code: counts.most_common(1)[0][0] for code, counts in lengths.items()}
    for service, contact, (code, local) in numbers:
        if len(local) != usual[code]:
            anomalies.append(
                Anomaly(
                    "suspect_phone",
                    f"{contact.area}: {code}-{local} has {len(local)} digits "
                    f"after {code}, the guide's other numbers {usual[code]}",
                    contact.span,
                    service.name,
                )
            )


def _fields(
    lines: list[str], body: list[int], service: str, anomalies: list[Anomaly]
) -> tuple[str, list[FieldValue]]:
    """Split a service's lines (table lines removed) into its title continuation and fields."""
    title: list[int] = []
    blocks: list[tuple[int, str, list[int]]] = []
    for i in body:
        match = _FIELD.match(lines[i])
        if match:
            blocks.append((i, match.group(2), []))
        elif lines[i].startswith("\t") and lines[i].strip():
            anomalies.append(
                Anomaly(
                    "unplaced_text",
                    f"tab-led '{lines[i].strip()}' outside a table",
                    Span(i + 1, i + 1),
                    service,
                )
            )
        elif lines[i].strip():
            (blocks[-1][2] if blocks else title).append(i)
    values = []
    for number, (head, label, value) in enumerate(blocks, 1):
        numbered = _FIELD.match(lines[head])
        if numbered is None or cn_number(numbered.group(1)) != number:
            anomalies.append(
                Anomaly(
                    "field_numbering",
                    f"'{lines[head].strip()}' is field {number}",
                    Span(head + 1, head + 1),
                    service,
                )
            )
        values.append(_field(lines, head, label, value, service, anomalies))
    return "".join(lines[i].strip() for i in title), values


def _field(
    lines: list[str], head: int, label: str, value: list[int], service: str, anomalies: list[Anomaly]
) -> FieldValue:
    key = field_key(label)
    span = Span(head + 1, (value[-1] if value else head) + 1)
    if key is None:
        anomalies.append(Anomaly("unknown_field", f"heading '{label}' has no field key", span, service))
    if not value:
        anomalies.append(Anomaly("empty_field", f"'{label}' has no text", span, service))
    text = unwrap([lines[i] for i in value])
    if key == "name":
        text = strip_final_stop(text)
    elif key == "time_limit":
        text = re.sub(r"\s+", "", text)  # "即时办结\xa0。" -> "即时办结。"
    numbered = len(split_items(text)) > 1
    items = split_items(text) if text != "无" and (key in LIST_KEYS or numbered) else []
    return FieldValue(key or label, label, text, span, items)


def _service(
    lines: list[str], seq: int, head: int, body: list[int], table: _Table, anomalies: list[Anomaly]
) -> ParsedService:
    headed = _SERVICE.match(lines[head])
    assert headed is not None, "a service starts at a heading line"
    heading = headed.group(2)
    continuation, fields = _fields(lines, body, heading, anomalies)
    title = heading + continuation
    named = next((f for f in fields if f.key == "name"), None)
    name = named.text if named else title
    if cn_number(headed.group(1)) != seq:
        anomalies.append(
            Anomaly(
                "service_numbering",
                f"'{lines[head].strip()}' is service {seq}",
                Span(head + 1, head + 1),
                name,
            )
        )
    if named and named.text != title:
        anomalies.append(
            Anomaly(
                "name_mismatch",
                f"heading '{title}' but 事项名称 '{named.text}'",
                Span(head + 1, head + 1),
                name,
            )
        )
    for key in REQUIRED_KEYS:
        if key not in {f.key for f in fields}:
            anomalies.append(Anomaly("missing_field", f"no {key} field", Span(head + 1, head + 1), name))
    end = max([head] + [i for i in body if lines[i].strip()])
    contacts = _contacts(lines, table, name, anomalies)
    return ParsedService(name, seq, Span(head + 1, end + 1), fields=fields, contacts=contacts)


def _check_placement(
    services: list[ParsedService], heads: list[int], tables: list[_Table], anomalies: list[Anomaly]
) -> None:
    """Report tables outside their own service's range, and fields a table interrupts."""
    for k, (service, table) in enumerate(zip(services, tables)):
        own_end = heads[k + 1] if k + 1 < len(heads) else None
        if table.start >= heads[k] and (own_end is None or table.start < own_end):
            cut = [f for f in service.fields if f.span.start - 1 < table.start < f.span.end - 1]
            for f in cut:
                anomalies.append(
                    Anomaly(
                        "table_inside_field",
                        f"table {k + 1} splits field '{f.label}' (lines {f.span.start}-{f.span.end})",
                        table.span(),
                        service.name,
                    )
                )
            continue
        host = max((j for j, h in enumerate(heads) if h <= table.start), default=None)
        where = (
            f"inside service {host + 1} '{services[host].name}' (from line {heads[host] + 1})"
            if host is not None
            else "before the first service"
        )
        anomalies.append(
            Anomaly(
                "displaced_table",
                f"table {k + 1} (lines {table.span().start}-{table.span().end})"
                f" belongs to service {k + 1} (heading line {heads[k] + 1}) but stands {where}",
                table.span(),
                service.name,
            )
        )


def parse(lines: list[str]) -> ParsedGuide:
    """Parse the 达州市 guide: 40 services, their fields and their per-area contact tables."""
    anomalies: list[Anomaly] = []
    tables = _find_tables(lines, anomalies)
    in_table = {i for t in tables for i in range(t.start, t.end)}
    heads = [i for i, line in enumerate(lines) if i not in in_table and _SERVICE.match(line)]
    if len(tables) != len(heads):
        raise ValueError(
            f"dazhou: {len(tables)} contact tables for {len(heads)} services; cannot map tables to services"
        )
    bounds = heads[1:] + [len(lines)]
    services = [
        _service(
            lines, k + 1, head, [i for i in range(head + 1, end) if i not in in_table], tables[k], anomalies
        )
        for k, (head, end) in enumerate(zip(heads, bounds))
    ]
    _check_placement(services, heads, tables, anomalies)
    _check_phone_lengths(services, anomalies)
    return ParsedGuide(services, anomalies)
