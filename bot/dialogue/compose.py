"""Answer text from a card: exactly the fields asked for, the local contacts, the source guide."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.dialogue.aspect_parts import fields_of
from bot.dialogue.wording import listed_elsewhere, not_listed, unplaced
from bot.kb.lookup import ONLINE, Card, ContactInfo, FieldInfo
from bot.kb.passages import Passage
from bot.nlu.aspects import LOCAL_ASPECTS


def place_name(region: str | None) -> str:
    """ "四川省/乐山市/沙湾区" → "乐山市沙湾区"; None → "当地"."""
    if not region:
        return "当地"
    parts = region.split("/")
    return "".join(parts[1:]) if len(parts) > 1 else parts[0]


def _listing(info: FieldInfo) -> str:
    if len(info.items) > 1:
        return "\n".join(f"{n}. {item}" for n, item in enumerate(info.items, 1))
    return info.text


def _section(card: Card, key: str, title: str, complete: bool = False) -> list[str]:
    """The field ``key`` under ``title``; with ``complete`` (the citizen asked for it), what other guides
    covering the place add where it is blank or generic, each under its guide's name."""
    values = card.field(key)
    parts = []
    if values:
        lines = [f"{title}："]
        for info in values:
            prefix = f"（{info.scope}）" if info.scope and len({v.scope for v in values}) > 1 else ""
            lines.append(prefix + _listing(info))
        parts.append("\n".join(lines))
    by_guide: dict[str, list[str]] = {}
    for guide, info in card.completion(key) if complete else []:
        by_guide.setdefault(guide.short, []).append(_listing(info))
    if by_guide and not values:  # "乐山…要交钱不": 乐山's guide is silent, the 川渝 guide says 不收费
        parts.append(listed_elsewhere(card.guide.short, title))
    parts += [f"{title}（《{short}》）：\n" + "\n".join(texts) for short, texts in by_guide.items()]
    return parts


def _disagreements(card: Card, key: str) -> list[str]:
    """Where the compared document says ``key`` otherwise (a 清单 against its 指南): both, ours above."""
    said = "列的是{other_value}，与上面的{value}不一致"  # the forms each names
    if key == "time_limit":
        said = "对此写的是“{other_value}”，与上面的说法不一致"
    return [
        f"注意：《{c['other_short']}》{said.format(**c)}，具体以经办机构答复为准。"
        for c in card.conflicts
        if c["field"] == key
    ]


def _time_limit(card: Card, complete: bool) -> list[str]:
    lines = _section(card, "time_limit", "办理时限", complete) + _section(card, "delivery", "结果送达")
    return lines + _disagreements(card, "time_limit")


def _contact_lines(contact: ContactInfo, aspects: set[str]) -> list[str]:
    """The asked-for contact lines (the 投诉电话 only when asked for: it is not the number to call for help)
    ."""
    lines = []
    if "place" in aspects and contact.place:
        lines.append(f"办理地点：{contact.place}")
    if "hours" in aspects and contact.hours:
        lines.append(f"办理时间：{contact.hours}")
    if "phone" in aspects and contact.consult:
        lines.append(f"咨询电话：{'、'.join(contact.consult)}")
    if "complaint_phone" in aspects and contact.complaint:
        lines.append(f"投诉电话：{'、'.join(contact.complaint)}")
    return lines


def _contacts(card: Card, aspects: set[str]) -> list[str]:
    """The place's contacts; for a city, the 市本级 row and each district's; what the guide leaves out, said
    so."""
    place = place_name(card.region)
    guide = card.guide.short
    lines: list[str] = []
    contact = card.contact
    if contact and card.contact_level in ("parent", "grandparent"):
        lines.append(f"《{guide}》没有单列{place}，以下是{contact.area or '上级'}的信息：")
    elif contact and card.contact_level == "exact" and contact.area == "市本级":
        lines.append(f"{place}市本级：")
    elif contact and card.contact_level == "guide" and contact.area == "" and card.guide.depth() > 0:
        lines.append(f"{place_name(card.guide.scope[0])}统一：")
    if contact:
        lines += _contact_lines(contact, aspects)
    districts = [c for c in card.district_contacts if _contact_lines(c, aspects)]
    if districts and card.contact_level != "exact" or (districts and contact and contact.area == "市本级"):
        lines.append("各区县：")
        lines += [f"· {c.area}：" + "；".join(_contact_lines(c, aspects)) for c in districts]
    lines += _missing(card, contact, aspects, guide, place)
    return ["\n".join(lines)] if lines else []


_STREET = re.compile(r"[路街道巷号]|大道|大厦|楼")


def street_missing(guide: str, place: str, where: str) -> list[str]:
    """Say so when the 办理地点 a guide gives is no street address ("属地医保经办机构")."""
    if _STREET.search(where):
        return []
    return [not_listed(guide, f"{place}医保经办机构", f"街道门牌地址（只写了“{where}”）")]


def _missing(card: Card, contact: ContactInfo | None, aspects: set[str], guide: str, place: str) -> list[str]:
    """Say plainly which asked-for contact the guide does not list."""
    lines = []
    has_district_rows = bool(card.district_contacts)
    if "phone" in aspects and not (contact and contact.consult) and not has_district_rows:
        lines.append(not_listed(guide, place, "咨询电话"))
    if "complaint_phone" in aspects and not (contact and contact.complaint) and not has_district_rows:
        lines.append(not_listed(guide, place, "投诉电话"))
    for key, what in (("place", "办理地点"), ("hours", "办理时间")):
        if key in aspects and not (contact and getattr(contact, key)) and not has_district_rows:
            lines.append(not_listed(guide, place, what))
    if "address" in aspects and contact and contact.place:
        lines += street_missing(guide, place, contact.place)
    consult_channel = card.field("consult_channel")
    if lines and consult_channel and "附件" not in consult_channel[0].text:
        lines.append(f"指南原文：{consult_channel[0].text}")
    return lines


def _online_remarks(card: Card, own_shown: bool) -> list[str]:
    """The 备注 that name online ways of applying, the guide's own and its 清单's (which names itself)."""
    own = [] if own_shown else [(info, "") for info in card.field("remarks")]
    listed = [(info, f"（《{info.source.title}》）") for info in card.twin_field("remarks")]
    lines = []
    for info, whose in own + listed:
        lines += [f"备注{whose}：{item}" for item in (info.items or [info.text]) if ONLINE.search(item)]
    return ["\n".join(lines)] if lines else []


# What else a question needs to be answered well: how to do it needs the papers, the ways and how long; what
# to bring, how long; whether one can, what to bring; where, the ways and the number.
IMPLIED = {
    "process": {"materials", "channel", "time_limit"},
    "materials": {"time_limit"},
    "target": {"materials"},
    "place": {"channel", "phone"},
    "address": {"place"},
    "progress": {"phone"},
}
REMARKS_FOR = {
    "materials",
    "time_limit",
    "target",
    "process",
}  # the 备注 qualify these (extra papers, deadlines)


def source_line(card: Card) -> str:
    year = (
        f"（{card.guide.year}年）" if card.guide.year and str(card.guide.year) not in card.guide.title else ""
    )
    return f"来源：《{card.guide.title}》{year}"


def _sections(card: Card, aspect: str, complete: bool = False) -> list[str]:
    return [line for key, label in fields_of(aspect) for line in _section(card, key, label, complete)]


# An online way a guide names ("四川医保 APP", "四川省政务服务网", a 网址), once the generic words of a
# guide that only promises to publish them ("及时公布…网址、手机 APP 下载地址、微信公众号") are left out
_GENERIC_TOOL = re.compile(r"手机\s?APP|(?<![\u4e00-\u9fff])微信公众号|网址")
_NAMED_TOOL = re.compile(
    r"APP|App|app|公众号|小程序|https?://|政务服务网|网上服务大厅|服务平台|信息平台|官网|渝快办"
)


def _names_no_tool(parts: list[str]) -> bool:
    """True when the channel sections name no app, mini program, account or website."""
    return not _NAMED_TOOL.search(_GENERIC_TOOL.sub("", "\n".join(parts)))


def compose_body(card: Card, aspects: list[str], region_known: bool, tool_asked: bool = False) -> list[str]:
    """The sections answering ``aspects``, without the title line and the source; ``tool_asked``: which app
    or website was asked ("用哪个APP"), said to be listed nowhere when the channels name none."""
    asked = set(aspects) or {"overview"}
    asked |= {extra for aspect in aspects for extra in IMPLIED.get(aspect, ())}
    if "complaint_phone" in aspects and "phone" not in aspects:
        asked.discard("phone")  # one who complains is given the 投诉电话, not the number that sent them away
    if "overview" in asked:
        asked |= {"target", "channel", "materials", "time_limit"} | ({"phone"} if region_known else set())
    parts = list(card.notes)
    for aspect in ("target", "channel", "materials", "time_limit", "process", "fee", "progress", "delivery"):
        if aspect not in asked or (aspect == "delivery" and "time_limit" in asked and card.field("delivery")):
            continue  # 时限 brings 送达 along
        complete = aspect in aspects  # asked, not only implied
        sections = _sections(card, aspect, complete)
        if aspect in ("progress", "delivery"):  # where a guide has no such section, its steps tell it
            parts += sections or ([] if "process" in asked else _sections(card, "process"))
        elif aspect == "fee":
            parts += sections or [not_listed(card.guide.short, "", "收费信息")]
        elif aspect == "time_limit":
            parts += _time_limit(card, complete)
        else:
            parts += sections + (_disagreements(card, "materials") if aspect == "materials" else [])
            if aspect == "channel":
                remarks = _online_remarks(card, own_shown=bool(asked & REMARKS_FOR))
                parts += remarks
                if tool_asked and _names_no_tool(sections + remarks):
                    parts.append(not_listed(card.guide.short, "", "具体的APP、小程序或网址"))
    if asked & REMARKS_FOR:
        parts += _section(card, "remarks", "备注")
    if asked & {"place", "channel"}:
        parts += _section(card, "accepting_body", "受理单位", bool(set(aspects) & {"place", "channel"}))
    if asked & {"place", "channel", "process"}:  # who takes the application in, and who decides on it
        parts += _section(card, "deciding_body", "决定机构")
    if "complaint_phone" in asked:
        parts += _section(card, "supervision", "监督电话") + _section(card, "remedy", "行政救济途径与方式")
    if asked & LOCAL_ASPECTS:
        parts += _contacts(card, asked)
    if not region_known:
        parts.append(unplaced(card.guide.short, only=card.guide.depth() > 0))
    return [part for part in parts if part]


def _details(card: Card, found: Sequence[Passage], shown: str, limit: int = 2) -> list[str]:
    """The sentences on a detail the citizen named ("按季度结算吗") that the answer does not show yet."""
    picked: list[Passage] = []
    squashed = re.sub(r"\s+", "", shown)
    for passage in found:
        sentence = re.sub(r"\s+", "", passage.sentence)
        if len(picked) < limit and sentence not in squashed:
            picked.append(passage)
            squashed += sentence
    if not picked:
        return []
    words = "、".join(f"“{w}”" for w in dict.fromkeys(w for p in picked for w in sorted(p.details)))
    lines = [
        f"{p.label}{'' if p.source.guide == card.guide.key else f'（《{p.source.title}》）'}：{p.sentence}"
        for p in picked
    ]
    return [f"关于您问到的{words}，指南写的是：\n" + "\n".join(lines)]


def compose(
    card: Card,
    aspects: list[str],
    region_known: bool,
    details: Sequence[Passage] = (),
    tool_asked: bool = False,
) -> str:
    """The answer to ``aspects`` of the card's service (and the sentences on ``details`` the citizen named),
    ending with the source."""
    where = f"（{place_name(card.region)}）" if region_known else ""
    body = compose_body(card, aspects, region_known, tool_asked)
    return "\n".join(
        [
            f"【{card.service.name}】{where}",
            *body,
            *_details(card, details, "\n".join(body)),
            source_line(card),
        ]
    )
