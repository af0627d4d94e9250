"""What a layout parser hands to the knowledge-base builder.

Every value carries the line span (1-based, inclusive) of the source file it
came from, so the builder can store its provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of a source file."""

    start: int
    end: int


@dataclass
class FieldValue:
    """One field of a service as the guide states it.

    ``key`` is a canonical key from :data:`FIELD_KEYS`; ``label`` the heading
    as printed. ``items`` holds list entries (materials, steps, remarks) when
    the source numbers them. ``scope`` names the region the value is limited to
    ("四川省", "重庆市") when a guide gives different values per region.
    """

    key: str
    label: str
    text: str
    span: Span
    items: list[str] = field(default_factory=list)
    scope: str | None = None


@dataclass
class ContactRow:
    """Local contacts of one service for one area of the guide.

    ``area`` is the area as the source names it ("沙湾区", "市本级", "重庆市"),
    or "" when one value stands for the guide's whole scope.
    Phones are normalised with :func:`bot.kb.parsers.text.find_phones`.
    """

    area: str
    span: Span
    place: str | None = None
    hours: str | None = None
    consult: list[str] = field(default_factory=list)
    complaint: list[str] = field(default_factory=list)


@dataclass
class Anomaly:
    """Something odd in a source that the check report should show."""

    kind: str
    message: str
    span: Span | None = None
    service: str | None = None


@dataclass
class ParsedService:
    """One 事项 of a guide.

    ``name`` is the 事项名称 exactly as the guide writes it (without a trailing
    "。"); ``group`` the parent 事项/主题 when the guide nests services.
    ``codes`` maps a code label ("事项编码", "子项编码", or a region such as
    "四川省") to the code.
    """

    name: str
    seq: int
    span: Span
    group: str | None = None
    codes: dict[str, str] = field(default_factory=dict)
    fields: list[FieldValue] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)


@dataclass
class DocumentContact:
    """A phone that belongs to the document itself (a contact person), never a citizen hotline."""

    person: str
    phone: str
    span: Span


@dataclass
class ParsedGuide:
    """Everything one layout parser found in one document."""

    services: list[ParsedService]
    anomalies: list[Anomaly] = field(default_factory=list)
    document_contacts: list[DocumentContact] = field(default_factory=list)
    reference_forms: list[tuple[str, Span]] = field(default_factory=list)


# Canonical field keys, matched against a heading's text (numerals stripped) in order.
FIELD_KEYS: list[tuple[str, str]] = [
    (r"事项名称", "name"),
    (r"事项编码", "codes"),
    (r"发布日期|实施日期", "dates"),
    (r"发布机构", "publisher"),
    (r"事项类别", "category"),
    (r"设定依据|设立依据", "basis"),
    (r"受理单位|受理机构", "accepting_body"),
    (r"决定机构", "deciding_body"),
    (r"服务对象|适用范围", "target"),
    (r"办理条件|受理条件", "conditions"),
    (r"网办渠道", "online"),
    (r"办理渠道|办理方式", "channels"),
    (r"材料", "materials"),
    (r"时限", "time_limit"),
    (r"办理流程", "steps"),
    (r"办理环节", "stages"),
    (r"进度|进程|办理查询|结果查询", "progress"),
    (r"评价", "evaluation"),
    (r"备注", "remarks"),
    (r"收费", "fee"),
    (r"结果送达", "delivery"),
    (r"行政救济", "remedy"),
    (r"监督投诉|监督电话", "supervision"),
    (r"咨询方式", "consult_channel"),
]


def field_key(label: str) -> str | None:
    """Map a field heading ("四、申请办理材料", "（七）办理查询") to its canonical key."""
    text = re.sub(r"^[\s（(]*[一二三四五六七八九十\d]+[、.．）)]\s*", "", label).strip()
    for pattern, key in FIELD_KEYS:
        if re.search(pattern, text):
            return key
    return None
