"""One dialogue turn: from what the linker found and what the conversation remembers, to a reply.

Slots kept across turns: service, region, aspects (what was last asked), region_hint (from the channel),
offered (the choices of the last asking-back). A follow-up changes one of them and keeps the others.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.dialogue import wording
from bot.dialogue.ask_back import ask_region, ask_service
from bot.dialogue.compose import compose, place_name, source_line
from bot.dialogue.groups import narrow_to_group
from bot.dialogue.places import city_of, differing_scopes, is_city, local_scopes, place_matters
from bot.dialogue.reply import Reply
from bot.dialogue.shared import SharedAnswer, asks_contacts_only, region_contacts, same_answer
from bot.dialogue.structured import structured
from bot.kb.lookup import Card, NotFound, card, guides_for, service_in_guide
from bot.kb.store import Guide, KnowledgeBase, Service
from bot.nlu.aspects import INTENT_ASPECTS, detect_aspects, needs_region
from bot.nlu.linker import LinkerConfig, tied

DEFAULT_REGION = os.environ.get("YIBAO_DEFAULT_REGION", "四川省")
ANSWERING_INTENTS = set(INTENT_ASPECTS) | {"inform", "nlu_fallback", "affirm", "deny"}
_PARTICLES = re.compile(r"[的呢吧啊嘛哦噻撒，。？?！!\s]")
AVAILABLE_RATIO = 0.5  # a runner-up this probable beside the top stands in for one the region's guide lacks
SAME_SORT = 4  # characters two names of one sort of service share at their ends (参保登记)
_ASKED_AGAIN = re.compile(r"^[^，,。？?！!\s]{1,12}呢[，,。？?！!\s]+\S")
_ABOUT_INSURANCE = re.compile(r"医保|社保|医疗保险|医疗保障")  # "我想咨询一下医保的事情": which one, then


@dataclass
class Turn:
    """The latest user message as Rasa parsed it, and the slots before it."""

    text: str
    intent: str | None
    confidence: float
    entities: list[dict[str, Any]]
    slots: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)  # from the channel; "region" is a picked region

    def entity(self, name: str) -> dict[str, Any] | None:
        return next((e for e in self.entities if e.get("entity") == name), None)

    def values(self, name: str) -> list[Any]:
        return [e["value"] for e in self.entities if e.get("entity") == name]


def respond(kb: KnowledgeBase, turn: Turn) -> Reply:
    """Answer the turn, or ask back for the one thing that is missing and matters; ``meta["gaps"]`` says
    what it could not give (wording.GAPS), for the review."""
    reply = _respond(kb, turn)
    reply.meta["gaps"] = wording.gaps(reply.text)
    return reply


def _respond(kb: KnowledgeBase, turn: Turn) -> Reply:
    slots = turn.slots
    chosen = _chosen(turn, slots.get("offered") or [])
    region_entity = turn.entity("region")
    known = _picked_region(kb, turn) or slots.get("region") or slots.get("region_hint")
    if region_entity and region_entity.get("visited") and known:
        region_entity = (
            None  # "在重庆住的院，回来报销", "去成都耍几天": home is where the conversation already is
        )
    named = _value(region_entity)
    if named and known and known.startswith(named + "/"):
        named = known  # "在乐山生的娃" from 乐山市市中区: the district known is the more precise
    region = chosen.get("region") or named or known
    if turn.entity("city_level") and not named and region:
        region = city_of(kb, region)  # "那市本级的呢" after a question about 犍为县
    service, options = (
        (chosen["service"], []) if "service" in chosen else _pick_service(kb, turn, slots, region)
    )
    names_service = bool(turn.entity("service") or turn.entity("service_options"))
    # a follow-up that names neither what is asked nor a service ("金口河区", "那峨眉山呢") asks the same
    # again
    # "两病认定呢 要多久" after "…电话多少": the same question about another service, and one more
    again = _ASKED_AGAIN.match(turn.text) and not detect_aspects(turn.text.split("呢")[0])
    aspects = (
        (again and list(dict.fromkeys([*(slots.get("aspects") or []), *turn.values("aspect")])))
        or turn.values("aspect")
        or (not names_service and slots.get("aspects"))
        or list(INTENT_ASPECTS.get(turn.intent or "", ()))
        or slots.get("aspects")
        or []
    )
    meta = {
        "intent": turn.intent,
        "confidence": turn.confidence,
        "clarify": False,
        "service": None,
        "region": None,
        "sources": [],
        "candidates": _candidates(turn),
    }
    if region_entity and region_entity.get("confidence_entity", 1.0) < 1.0 and not chosen:
        return ask_region(
            kb,
            slots,
            aspects,
            service or slots.get("service"),
            meta,
            region_entity.get("candidates") or [region],
        )
    group = _value(turn.entity("insured_group")) or slots.get("insured_group")
    # "市本级" holds for follow-ups about the same place ("投诉打哪个")
    city_only = bool(turn.entity("city_level")) or (
        bool(slots.get("city_only")) and region == slots.get("region")
    )

    guide = _value(turn.entity("guide"))

    def local_card(name: str) -> Card | None:
        return _card(kb, name, region, group, city_only, guide)

    topic = _value(turn.entity("uncovered"))
    # "缴费年限不够…还要带啥子": what the guides hold is asked too; the topic they lack is said beside it
    aside = bool(
        topic and (turn.entity("uncovered") or {}).get("aside") and (service or slots.get("service"))
    )
    if topic and not aside:
        return _uncovered(kb, topic, local_card(service or slots.get("service") or ""), region, meta)
    shared = _shared_answer(kb, local_card, options, service or slots.get("service"), region, aspects, guide)
    if shared:  # the same answer whichever service is meant: no need to ask
        return Reply(
            shared.text,
            slots={"region": region, "aspects": aspects, "insured_group": group, "city_only": city_only},
            meta=meta | {"region": shared.region, "service": shared.service, "sources": [shared.source]},
        )
    if options:
        return ask_service(_in_guide_order(kb, options, region), region, aspects, meta)
    service = service or slots.get("service")
    if not service:
        return _no_service(kb, turn, region, aspects, meta)
    way = bool(guide and kb.guides[guide].depth() == 0)  # a province-wide guide named lists no places
    if needs_region(aspects) and not region and not way and place_matters(kb, service, aspects):
        return ask_region(kb, slots, aspects, service, meta, [])
    scopes, differing = ([], []) if region or guide or chosen else differing_scopes(kb, service, aspects)
    if differing:  # "住院报销要多久" with no place: 乐山 9 个工作日, 四川 30, 湖北 15
        return ask_region(kb, slots, aspects, service, meta, scopes, differs=differing)
    local = local_scopes(kb, region, service) if needs_region(aspects) and not chosen and not way else []
    if local:
        return ask_region(kb, slots, aspects, service, meta, local, region)  # "四川 …电话多少": cities differ
    reply = _answer(kb, service, region, aspects, meta, local_card)
    if aside:
        reply.text = f"指南没有列出{topic}，{wording.REFER}\n{reply.text}"
    lives_in = _value(turn.entity("elsewhere"))
    answered_by = kb.guides.get(reply.card["guide"]["key"]) if reply.card else None
    if lives_in and needs_region(aspects) and answered_by and len(answered_by.scope) > 1:
        reply.text += "\n" + wording.cross_window(place_name(lives_in), answered_by.short)
    reply.slots |= {"insured_group": group, "city_only": city_only}
    if city_only and reply.meta.get("region") == region and is_city(kb, region):
        reply.meta["region"] = (
            f"{region}/市本级"  # the city's own office asked about, listed by the guide or not
        )
    return reply


def _shared_answer(
    kb: KnowledgeBase,
    local_card: Callable[[str], Card | None],
    options: list[str],
    service: str | None,
    region: str | None,
    aspects: list[str],
    guide: str | None,
) -> SharedAnswer | None:
    """An answer that does not depend on which service is meant: the same for every tied option, or, with no
    service at all, the contacts that all the services of the place's guide (or the guide named) share."""
    if options:
        return same_answer(local_card, options, region, aspects)
    if service or not (region or guide) or not asks_contacts_only(aspects):
        return None
    return region_contacts(kb, region, aspects, guide)


def _picked_region(kb: KnowledgeBase, turn: Turn) -> str | None:
    """A region the channel sets for this message (the hotline operator's picker), as a region path."""
    picked = turn.metadata.get("region")
    match = kb.resolver.resolve(str(picked)) if picked else None
    return match.path if match else None


def _candidates(turn: Turn) -> list[dict[str, Any]]:
    """The linker's top three services with their scores, for the hotline helper."""
    found = turn.entity("service") or turn.entity("service_options") or {}
    return [
        {"name": c["name"], "score": round(float(c["score"]), 3), "evidence": c.get("evidence", [])}
        for c in (found.get("candidates") or [])[:3]
    ]


def _value(entity: dict[str, Any] | None) -> str | None:
    return entity["value"] if entity else None


def _chosen(turn: Turn, offered: list[dict[str, str]]) -> dict[str, str]:
    """The offered option the user picked by number ("2", "第二个"), by its title, or by a word or kind that
    only one option holds ("职工的" among 单位/职工/城乡居民参保登记; "城乡居民，马边的")."""
    choice = _value(turn.entity("choice"))
    if choice and 0 < int(choice) <= len(offered):
        numbered = offered[int(choice) - 1]
        return {numbered["kind"]: numbered["value"]}
    said = _PARTICLES.sub("", turn.text.strip())
    holding = [o for o in offered if (len(said) >= 2 and said in o["title"]) or o["value"] in _kinds(turn)]
    pick: dict[str, str] | None = next(
        (o for o in offered if o["title"] == turn.text.strip()), holding[0] if len(holding) == 1 else None
    )
    return {pick["kind"]: pick["value"]} if pick else {}


def _kinds(turn: Turn) -> list[str]:
    """The kinds of service the message's modifiers tell apart ("职工的" → 职工参保登记, 职工参保信息变更登记)
    ."""
    return [kind for kind in str(_value(turn.entity("service_kind")) or "").split("|") if kind]


def _only_a_kind(turn: Turn) -> bool:
    """True for "那登记的呢", "药店的呢": the message says nothing but the kind of service (not who asks:
    "居民医保的" after a 住院 question is the 居民's number for it)."""
    kind = turn.entity("service_kind")
    said = _PARTICLES.sub("", turn.text).removeprefix("那")
    return kind is not None and not turn.entity("insured_group") and said in kind.get("words", [])


def _kind_of(service: str, kinds: list[str]) -> str | None:
    """The service of ``kinds`` that is the same sort of thing as ``service`` ("职工的呢" after 单位参保登记
    is 职工参保登记); None when ``service`` is already of that kind or none is close."""
    if not kinds or service in kinds:
        return None

    def shared(
        kind: str,
    ) -> int:  # siblings share their ends: 单位/职工 参保登记, 医疗机构/零售药店 申请定点协议管理
        return len(os.path.commonprefix([service, kind])) + len(
            os.path.commonprefix([service[::-1], kind[::-1]])
        )

    best = max(kinds, key=shared)
    return best if shared(best) >= SAME_SORT else None


def _pick_service(
    kb: KnowledgeBase, turn: Turn, slots: dict[str, Any], region: str | None
) -> tuple[str | None, list[str]]:
    """The service the message names, or the tied options to ask about.

    Candidates the region's guide lacks drop out ("灵活就业" in 武汉 can only be 职工参保登记 there); a tie
    that includes the remembered service keeps it; a kind of service ("职工的呢") picks the remembered one's
    sibling.
    """
    found = turn.entity("service") or turn.entity("service_options")
    if not found or (found.get("tentative") and slots.get("service")):
        # a mere guess ("电话多少" ~ 电话号码更改) does not replace the service talked about; a kind does
        # ("职工的呢" after 单位参保登记), and a message that is nothing but a kind ("那登记的呢") asks which
        # one
        kinds = _kinds(turn)
        sibling = _kind_of(slots["service"], kinds) if slots.get("service") else None
        if sibling or slots.get("service") in kinds or not _only_a_kind(turn):
            return sibling, []
        return None, kinds
    candidates = found.get("candidates") or [
        {"name": n, "score": 1.0} for n in str(found["value"]).split("|")
    ]
    close = [c for c in candidates if c["score"] >= candidates[0]["score"] * AVAILABLE_RATIO]
    available = _available(kb, [c["name"] for c in candidates], region)
    kept = [c for c in close if c["name"] in available]
    if not kept and slots.get("service") in available:
        return slots["service"], []  # "灵活就业的呢" where the guide has none: the service talked about stays
    candidates = kept or candidates
    leaders = [
        c["name"]
        for c in candidates[
            : tied([c["score"] for c in candidates], found.get("tie_ratio", LinkerConfig.tie_ratio))
        ]
    ]
    if len(leaders) == 1:
        return leaders[0], []
    if slots.get("service") in leaders:
        return slots["service"], []
    return None, leaders


def _in_guide(kb: KnowledgeBase, name: str, guide: Guide) -> Service | None:
    """The guide's own entry for the service ``name`` (under its name or an alias), if it has one."""
    found = service_in_guide(kb, name, guide.key)
    return found[0] if found else None


def _available(kb: KnowledgeBase, names: list[str], region: str | None) -> list[str]:
    """The services the region's most local guide has, else those another guide for it has (all of them where
    no guide covers the region): 夹江's "高血压…慢性病门诊" is 乐山's 门诊慢特病, as 乐山 lists no 两病
    认定. With no region known, any guide of the default province will do (门诊费用跨省直接结算 is the 川渝
    guide's)."""
    guides = guides_for(kb, region or DEFAULT_REGION)
    if not guides:
        return names
    if region is None:
        return [name for name in names if any(_in_guide(kb, name, guide) for guide in guides)]
    local = [name for name in names if _in_guide(kb, name, guides[0])]
    return local or [name for name in names if any(_in_guide(kb, name, guide) for guide in guides[1:])]


def _in_guide_order(kb: KnowledgeBase, names: list[str], region: str | None) -> list[str]:
    """Tied services in the order the region's guide lists them (门诊 before 住院), as citizens know them."""
    guides = guides_for(kb, region or DEFAULT_REGION)

    def seq(name: str) -> int:
        entry = _in_guide(kb, name, guides[0]) if guides else None
        return entry.seq if entry else len(kb.services)

    return sorted(names, key=seq)


def _no_service(kb: KnowledgeBase, turn: Turn, region: str | None, aspects: list[str], meta: dict) -> Reply:
    if turn.entity("off_topic") and not _ABOUT_INSURANCE.search(turn.text) and (aspects or region):
        # "公积金提取要带啥": what is asked is clear, the matter is another office's
        return Reply(wording.off_topic(wording.coverage(kb.guides.values())), meta=meta)
    if turn.intent in ANSWERING_INTENTS and (aspects or region or _ABOUT_INSURANCE.search(turn.text)):
        return Reply(
            wording.ASK_SERVICE,
            slots={"aspects": aspects, "region": region},
            meta=meta | {"clarify": True, "region": region},
        )
    text = wording.NOT_UNDERSTOOD + wording.coverage(kb.guides.values()) + wording.EXAMPLE
    return Reply(text, meta=meta | {"clarify": True})  # it asks for the matter in other words


def _uncovered(kb: KnowledgeBase, topic: str, about: Card | None, region: str | None, meta: dict) -> Reply:
    """Say that no guide lists ``topic`` and where to ask; with the service's local 咨询电话 when there is
    one."""
    if about is None:
        text = wording.not_in_any_guide(topic, wording.coverage(kb.guides.values()))
        return Reply(text, slots={"region": region}, meta=meta | {"region": region})
    name = about.service.name
    lines = [f"《{about.guide.short}》没有列出{name}的{topic}。{wording.REFER}"]
    if region:
        lines.append(compose(about, ["phone"], region_known=True))
    else:
        lines += [f"指南能查到{name}的办理材料、时限、流程和电话，需要的话请直接问我。", source_line(about)]
    return Reply(
        "\n".join(lines),
        slots={"service": name, "region": region, "offered": []},
        meta=meta
        | {"service": name, "region": about.answered_for if region else None, "sources": [about.guide.title]},
    )


def _card(
    kb: KnowledgeBase,
    service: str,
    region: str | None,
    group: str | None,
    city_only: bool,
    guide: str | None = None,
) -> Card | None:
    """The card of ``service`` for ``region`` (or the default province), from ``guide`` where the message
    named it, narrowed to the asker's group of insured; ``city_only`` ("市本级", "市医保局") leaves out the
    districts' rows. None when no guide has the service."""
    try:
        result = narrow_to_group(card(kb, service, region or DEFAULT_REGION, guide), group)
    except NotFound:
        # no place named and only one guide holds the service ("临时外出就医备案": 乐山's): that guide's
        holders = [] if region else [g for g in kb.guides.values() if service_in_guide(kb, service, g.key)]
        if len(holders) != 1:
            return None
        result = narrow_to_group(card(kb, service, holders[0].scope[0], guide), group)
    return replace(result, district_contacts=[]) if city_only else result


def _answer(
    kb: KnowledgeBase,
    service: str,
    region: str | None,
    aspects: list[str],
    meta: dict,
    local_card: Callable[[str], Card | None],
) -> Reply:
    lookup_region = region or DEFAULT_REGION
    if not guides_for(kb, lookup_region):
        text = wording.no_guide_for(place_name(region), wording.coverage(kb.guides.values()))
        return Reply(text, slots={"region": region}, meta=meta | {"region": region})
    result = local_card(service)
    if result is None:
        text = wording.no_such_service(place_name(lookup_region), service)
        return Reply(text, slots={"service": service, "region": region}, meta=meta | {"region": region})
    text = compose(result, aspects, region_known=region is not None)
    return Reply(
        text,
        slots={"service": result.service.name, "region": region, "aspects": aspects, "offered": []},
        meta=meta
        | {
            "service": result.service.name,
            "region": result.answered_for if region else None,
            "sources": list(
                dict.fromkeys(
                    [result.guide.title]
                    + [g.title for g, _ in result.completions if f"（《{g.short}》）" in text]
                )
            ),
        },
        card=structured(result, aspects, region_known=region is not None),
    )
