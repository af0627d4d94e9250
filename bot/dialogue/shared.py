"""Answers that hold for several services at once, so that asking back would not change them.

"峨边报销打哪个电话": the 报销-type services tie, but if the guide gives 峨边县 the same number for all of them,
that number is the answer. "宣汉县医保窗口几点上班": no service named, but the guide gives 宣汉县 one 办理时间.
"""
from __future__ import annotations

from collections import Counter

from bot.dialogue.compose import _contact_lines, place_name
from bot.kb.lookup import NotFound, card, guides_for
from bot.kb.store import KnowledgeBase

CONTACT_ASPECTS = {"phone", "complaint_phone", "place", "hours"}
SHARED_SHARE = 0.9  # a value shared by this share of a place's services is "the" value
_FIELDS = {"hours": ("hours", "办理时间"), "place": ("place", "办理地点")}


def asks_contacts_only(aspects: list[str]) -> bool:
    return bool(aspects) and set(aspects) <= CONTACT_ASPECTS


def same_contacts(kb: KnowledgeBase, services: list[str], region: str, aspects: list[str]) -> tuple[str, str] | None:
    """(text, guide title) when the contact lines are identical for every one of ``services`` in ``region``,
    else None."""
    local = guides_for(kb, region)[:1]
    texts, named = set(), []
    for service in services:
        try:
            result = card(kb, service, region)
        except NotFound:
            continue
        if result.guide not in local:
            continue  # a service the place's own guide does not have
        if result.contact is None or result.district_contacts:
            return None
        texts.add("\n".join(_contact_lines(result.contact, set(aspects), complaint_with_phone=False)))
        named.append(result.service.name)
    if len(texts) != 1 or not named or not next(iter(texts)):
        return None
    names = "、".join(f"“{name}”" for name in named)
    title = local[0].title
    return f"{place_name(region)}{names}的联系方式相同：\n{texts.pop()}\n来源：《{title}》", title


def region_contacts(kb: KnowledgeBase, region: str, aspects: list[str]) -> tuple[str, str] | None:
    """(text, guide title) for 办理时间 / 办理地点 asked without a service, from the place's own rows in its guide:
    a value that (nearly) all services share is the answer; one that varies by service is said to vary."""
    if not set(aspects) <= set(_FIELDS):
        return None
    guides = guides_for(kb, region)
    if not guides:
        return None
    guide = guides[0]
    rows = [row for service in kb.services.values() if service.guide == guide.key
            for row in kb.contacts(service.id) if row["region"] == region]
    lines, answered = [], False
    for aspect in aspects:
        column, label = _FIELDS[aspect]
        values = Counter(row[column] for row in rows if row[column])
        if not values:
            continue
        value, count = values.most_common(1)[0]
        if count >= SHARED_SHARE * sum(values.values()):
            others = "" if count == sum(values.values()) else f"（{count}项事项如此，个别事项另有说明）"
            lines.append(f"{label}：{value}{others}")
            answered = True
        else:
            lines.append(f"{label}因事项而异，告诉我要办的事项，可以查到具体窗口。")
    if not answered:
        return None
    text = f"{place_name(region)}医保经办（《{guide.short}》所列事项）：\n" + "\n".join(lines)
    return f"{text}\n来源：《{guide.title}》", guide.title
