"""Answers that hold for several services at once, so that asking back would not change them.

"峨边报销打哪个电话": the 报销-type services tie, but if the guide gives 峨边县 the same number for all of
them, that number is the answer; "达州异地备案可以在手机上办不": the same 网办渠道 for every kind of 备案.
"宣汉县医保窗口几点上班": no service named, but the guide gives 宣汉县 one 办理时间.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.dialogue.aspect_parts import CONTACT_ASPECTS
from bot.dialogue.compose import compose_body, place_name, source_line, street_missing
from bot.dialogue.wording import not_listed
from bot.kb.lookup import Card, guides_for
from bot.kb.store import KnowledgeBase
from bot.nlu.aspects import LOCAL_ASPECTS, needs_region

SHARED_SHARE = 0.9  # a value shared by this share of a place's services is "the" value


@dataclass(frozen=True)
class SharedAnswer:
    """An answer that holds for several services: its text, the guide it comes from, the service it answers
    first (the most probable of those meant, if any) and the region it answers for."""

    text: str
    source: str
    service: str | None
    region: str | None


def _same(value: str) -> str:
    """A contact value as compared: full-width and spacing differences do not make two values differ."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def asks_contacts_only(aspects: list[str]) -> bool:
    return bool(aspects) and set(aspects) <= LOCAL_ASPECTS


def same_answer(
    local_card: Callable[[str], Card | None],
    services: list[str],
    region: str | None,
    aspects: list[str],
    placeless: bool = False,
) -> SharedAnswer | None:
    """The answer to ``aspects`` when it reads the same for every one of ``services`` (most probable first)
    that the place's guide has; None when it differs (then asking which one matters). Contacts need the
    place, unless the guide named lists no places (``placeless``: "川渝通办 异地备案 投诉打哪个")."""
    if needs_region(aspects) and not region and not placeless:
        return None
    cards = [c for c in map(local_card, services) if c is not None]
    if not cards:
        return None
    most_local = max(cards, key=lambda c: c.guide.depth()).guide
    local = [c for c in cards if c.guide == most_local]
    others = [c for c in cards if c.guide != most_local]
    if len(local) < 2 and any(c.guide.depth() == most_local.depth() for c in others):
        return None  # one option in a guide no more local than another option's: nothing decides between them
    bodies = {"\n".join(compose_body(c, aspects, region is not None)) for c in local}
    if len(bodies) != 1 or not next(iter(bodies)):
        return None
    names = "、".join(f"“{c.service.name}”" for c in local)
    where = place_name(region) if region else ""
    same = f"{where}{names}的答案相同：\n" if len(local) > 1 else f"{where}“{local[0].service.name}”：\n"
    text = f"{same}{bodies.pop()}\n{source_line(local[0])}"
    return SharedAnswer(
        text, local[0].guide.title, local[0].service.name, local[0].answered_for if region else None
    )


def _text(value: str | list[str]) -> str:
    return "、".join(value) if isinstance(value, list) else value


def region_contacts(
    kb: KnowledgeBase, region: str | None, aspects: list[str], named: str | None = None
) -> SharedAnswer | None:
    """Contacts asked without a service, of the place's guide or the guide ``named`` by its way of service
    ("川渝通办专窗电话"): none at all when the guide lists none; else a value that (nearly) all its services
    share is the answer; a 办理地点 or 办理时间 that varies is said to vary; None when a number varies (then
    which service matters)."""
    guides = [kb.guides[named]] if named in kb.guides else guides_for(kb, region) if region else []
    if not guides:
        return None
    guide = guides[0]
    rows = [
        row
        for service in kb.services.values()
        if service.guide == guide.key
        for row in kb.contacts(service.id)
        if region is None or row["region"] == region
    ]
    where = f"{place_name(region)}医保经办" if region else "各事项"
    if not rows:
        what = "、".join(CONTACT_ASPECTS[a].label for a in aspects if a in CONTACT_ASPECTS)
        text = not_listed(guide.short, where, what)
        return SharedAnswer(f"{text}\n来源：《{guide.title}》", guide.title, None, region)
    lines, answered = [], False
    for aspect in aspects:
        if aspect not in CONTACT_ASPECTS:
            continue  # "address" is said with the place
        part = CONTACT_ASPECTS[aspect]
        column, label = part.contact or "", part.label
        found = [_text(row[column]) for row in rows if row[column]]
        values = Counter(_same(value) for value in found)
        if not values:  # the guide lists it for none of its services there
            lines.append(not_listed(guide.short, where, label))
            answered = True
            continue
        same, count = values.most_common(1)[0]
        value = Counter(v for v in found if _same(v) == same).most_common(1)[0][
            0
        ]  # as the guide writes it most
        if count >= SHARED_SHARE * sum(values.values()):
            others = "" if count == sum(values.values()) else f"（{count}项事项如此，个别事项另有说明）"
            lines.append(f"{label}：{value}{others}")
            answered = True
            if aspect == "place" and "address" in aspects:
                lines += street_missing(guide.short, place_name(region), value)
        elif aspect in ("phone", "complaint_phone"):
            return None  # numbers that depend on the service: ask which one
        else:
            lines.append(f"{label}因事项而异，告诉我要办的事项，可以查到具体窗口。")
    if not answered:
        return None
    head = f"{where}（《{guide.short}》所列事项）" if region else f"《{guide.short}》所列事项"
    text = f"{head}：\n" + "\n".join(lines)
    own_office = bool(region) and all(
        row["area"] == "市本级" for row in rows
    )  # a city's rows are its 市本级's
    return SharedAnswer(
        f"{text}\n来源：《{guide.title}》", guide.title, None, f"{region}/市本级" if own_office else region
    )
