"""One dialogue turn: from what the linker found and what the conversation remembers, to a reply.

Slots kept across turns: service, region, aspects (what was last asked), region_hint (from the channel),
offered (the choices of the last asking-back). A follow-up changes one of them and keeps the others. Which
service is meant is bot.dialogue.which_service; asking back is bot.dialogue.ask_back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.dialogue import wording
from bot.dialogue.ask_back import ask_region, ask_service
from bot.dialogue.compose import compose, place_name, source_line
from bot.dialogue.groups import narrow_to_asker
from bot.dialogue.message import Turn, value
from bot.dialogue.places import (
    DEFAULT_REGION,
    city_of,
    differing_scopes,
    districts_answer_differently,
    districts_of,
    is_city,
    local_scopes,
    place_matters,
    which_district,
)
from bot.dialogue.reply import Reply
from bot.dialogue.shared import SharedAnswer, asks_contacts_only, region_contacts, same_answer
from bot.dialogue.structured import structured
from bot.dialogue.which_service import close_candidates, in_guide_order, pick_service, picked_option
from bot.kb.lookup import Card, NotFound, card, guides_for, service_in_guide
from bot.kb.passages import passages
from bot.kb.store import KnowledgeBase
from bot.kb.terms import shares_words, unknown_nouns
from bot.nlu.aspects import INTENT_ASPECTS, asks_online_tool, detect_aspects, needs_region
from bot.text.normalise import han_count
from bot.text.tokens import is_place_or_unknown

__all__ = ["Reply", "Turn", "respond", "warm"]  # what the actions and the evaluation import from here

ANSWERING_INTENTS = set(INTENT_ASPECTS) | {"inform", "nlu_fallback", "affirm", "deny"}
_ASKED_AGAIN = re.compile(r"^[^，,。？?！!\s]{1,12}呢[，,。？?！!\s]+\S")
_FOLLOW_UP = re.compile(r"^那(?:个)?([\u4e00-\u9fff]{2,8}?)的?呢[？?。!！]*$")  # "那建为呢"
_ABOUT_INSURANCE = re.compile(r"医保|社保|医疗保险|医疗保障")  # "我想咨询一下医保的事情": which one, then


def respond(kb: KnowledgeBase, turn: Turn) -> Reply:
    """Answer the turn, or ask back for the one thing that is missing and matters; ``meta["gaps"]`` says
    what it could not give (wording.GAPS), for the review."""
    reply = _respond(kb, turn)
    reply.meta["gaps"] = wording.gaps(reply.text)
    reply.slots.setdefault("guide", _guide(turn))
    return reply


def _guide(turn: Turn) -> str | None:
    """The guide the message names by its way of service ("川渝通办"), or the one the conversation named
    before, which holds for follow-ups ("好久办好") until a place is named."""
    return value(turn.entity("guide")) or (None if turn.entity("region") else turn.slots.get("guide"))


# A question answered and a question about another office's matter asked beside a kept service: between them
# they build what the knowledge base and the guides' word tables build on first use, and load jieba's
# dictionaries (about 2 s, which the first citizen would otherwise wait).
_WARM_UP = (
    Turn("沙湾区住院报销要带啥材料", "inform", 1.0, [{"entity": "service", "value": "住院费用报销"}], {}),
    Turn("公积金提取要带啥", "out_of_scope", 1.0, [], {"service": "住院费用报销"}),
)


def warm(kb: KnowledgeBase) -> None:
    """Answer the warm-up turns, so that a new process's first citizen does not wait for what they build."""
    for turn in _WARM_UP:
        respond(kb, turn)


def _respond(kb: KnowledgeBase, turn: Turn) -> Reply:
    slots = turn.slots
    chosen = picked_option(turn, slots.get("offered") or [])
    region_entity = turn.entity("region")
    known = _picked_region(kb, turn) or slots.get("region") or slots.get("region_hint")
    if region_entity and (region_entity.get("visited") == "trip" or (region_entity.get("visited") and known)):
        # "去西安出差半个月", "在重庆住的院，回来报销": a place gone to is not where one is insured; home is
        # where the conversation already is, or (a trip) not yet known
        region_entity = None
    named = value(region_entity)
    if named and known and known.startswith(named + "/"):
        named = known  # "在乐山生的娃" from 乐山市市中区: the district known is the more precise
    region = chosen.get("region") or named or known
    if turn.entity("city_level") and not named and region:
        region = city_of(kb, region)  # "那市本级的呢" after a question about 犍为县
    service, options = (
        (chosen["service"], []) if "service" in chosen else pick_service(kb, turn, slots, region)
    )
    unsaid = set(turn.values("unstated"))  # "…，未说明参保地及备案类型": the operator says what is missing
    close = close_candidates(turn) if "service" in unsaid and not chosen and not options else []
    if len(close) > 1:
        service, options = None, close
    names_service = bool(turn.entity("service") or turn.entity("service_options"))
    if not names_service and not chosen and _off_topic(kb, turn, slots.get("service")):
        return Reply(wording.off_topic(wording.coverage(kb.guides.values())), meta=_meta(turn))
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
    meta = _meta(turn)
    if not chosen and _unknown_place(turn):
        # "那X呢" where X is no word the linker or the dictionary knows: a place typed past mending, not the
        # place talked about; asking beats repeating that place's answer
        return ask_region(kb, slots, aspects, service or slots.get("service"), meta, [])
    if region_entity and region_entity.get("confidence_entity", 1.0) < 1.0 and not chosen:
        return ask_region(
            kb,
            slots,
            aspects,
            service or slots.get("service"),
            meta,
            region_entity.get("candidates") or [region],
        )
    group = value(turn.entity("insured_group")) or slots.get("insured_group")
    # "市本级" holds for follow-ups about the same place ("投诉打哪个")
    city_only = bool(turn.entity("city_level")) or (
        bool(slots.get("city_only")) and region == slots.get("region")
    )

    guide = _guide(turn)

    def local_card(name: str) -> Card | None:
        return _card(kb, name, region, group, city_only, guide, turn.text)

    topic = value(turn.entity("uncovered"))
    # "缴费年限不够…还要带啥子": what the guides hold is asked too; the topic they lack is said beside it
    aside = bool(
        topic and (turn.entity("uncovered") or {}).get("aside") and (service or slots.get("service"))
    )
    if topic and not aside:
        return _uncovered(kb, topic, local_card(service or slots.get("service") or ""), region, meta)
    if (
        not (options or service or slots.get("service") or city_only or _names_a_way(kb, guide))
        and named == region
        and is_city(kb, region)
        and asks_contacts_only(aspects)
        and districts_answer_differently(kb, str(region), aspects)
    ):
        # "达州医保窗口几点下班": no service, and the city's districts (and its own office) differ in what is
        # asked; which one is the question, as for a service
        places = [str(region), *districts_of(kb, str(region))]
        return ask_region(kb, slots, aspects, None, meta, places, region)
    shared = _shared_answer(kb, local_card, options, service or slots.get("service"), region, aspects, guide)
    if shared:  # the same answer whichever service is meant: no need to ask
        return Reply(
            shared.text,
            slots={"region": region, "aspects": aspects, "insured_group": group, "city_only": city_only},
            meta=meta | {"region": shared.region, "service": shared.service, "sources": [shared.source]},
        )
    if options:
        return ask_service(in_guide_order(kb, options, region), region, aspects, meta)
    service = service or slots.get("service")
    if not service:
        return _no_service(kb, turn, region, aspects, meta)
    way = _names_a_way(kb, guide)
    if "region" in unsaid and not region and not way:
        return ask_region(kb, slots, aspects, service, meta, [])
    if needs_region(aspects) and not region and not way and place_matters(kb, service, aspects):
        return ask_region(kb, slots, aspects, service, meta, [])
    scopes, differing = ([], []) if region or guide or chosen else differing_scopes(kb, service, aspects)
    if differing:  # "住院报销要多久" with no place: 乐山 9 个工作日, 四川 30, 湖北 15
        return ask_region(kb, slots, aspects, service, meta, scopes, differs=differing)
    places = which_district(
        kb, turn, lambda: local_card(service), region, named, aspects, bool(chosen or city_only)
    )
    if places:
        return ask_region(kb, slots, aspects, service, meta, places, region)
    local = local_scopes(kb, region, service) if needs_region(aspects) and not chosen and not way else []
    if local:
        return ask_region(kb, slots, aspects, service, meta, local, region)  # "四川 …电话多少": cities differ
    reply = _answer(kb, service, region, aspects, meta, local_card, turn.text)
    if aside:
        reply.text = f"{wording.not_listed(None, '', str(topic))}\n{reply.text}"
    lives_in = value(turn.entity("elsewhere"))
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
        if not (region or guide) and any(differing_scopes(kb, option, aspects)[1] for option in options):
            return None  # "结算好久到账": with no place, each guide sets the time limit of its own
        way = _names_a_way(kb, guide)
        return same_answer(local_card, options, region, aspects, placeless=way)
    if service or not (region or guide) or not asks_contacts_only(aspects):
        return None
    return region_contacts(kb, region, aspects, guide)


def _unknown_place(turn: Turn) -> bool:
    """True for a follow-up "那X呢" in which nothing is found and X may be a place (a word jieba does not
    know, or one it tags as a place)."""
    found = _FOLLOW_UP.match(turn.text.strip())
    return found is not None and not turn.entities and is_place_or_unknown(found.group(1))


def _names_a_way(kb: KnowledgeBase, guide: str | None) -> bool:
    """The message names a province-wide guide by its way of service ("川渝通办"), which lists no places."""
    return bool(guide and kb.guides[guide].depth() == 0)


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


def _meta(turn: Turn) -> dict[str, Any]:
    """The answer data every reply starts from; what it answers is filled in on the way."""
    return {
        "intent": turn.intent,
        "confidence": turn.confidence,
        "clarify": False,
        "service": None,
        "region": None,
        "sources": [],
        "candidates": _candidates(turn),
    }


def _off_topic(kb: KnowledgeBase, turn: Turn, kept_service: str | None) -> bool:
    """No 医保 matter ("明天天气咋样"), or another office's ("公积金提取要带啥"), as the intent model or the
    service model reads it. In a conversation on a service, only a matter its guides never name: "要几天" and
    "没得结婚证咋办" (words of 计划生育医疗费支付's guide) ask about the service, whatever the models say."""
    if han_count(turn.text) < 2:
        return False  # "asdkjh", "？？": nothing said yet to place out of scope; it is asked again
    learned = bool(turn.entity("off_topic")) and not _ABOUT_INSURANCE.search(turn.text)
    if not (turn.intent == "out_of_scope" or learned):
        return False
    if not kept_service:
        return True
    return not shares_words(kb, turn.text, kept_service) and bool(unknown_nouns(kb, turn.text))


def _no_service(kb: KnowledgeBase, turn: Turn, region: str | None, aspects: list[str], meta: dict) -> Reply:
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
    lines = [wording.not_listed(about.guide.short, name, topic)]
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
    text: str = "",
) -> Card | None:
    """The card of ``service`` for ``region`` (or the default province), from ``guide`` where the message
    named it, its numbers narrowed to the asker's group of insured and the place ``text`` names;
    ``city_only`` ("市本级", "市医保局") leaves out the
    districts' rows. None when no guide has the service."""
    try:
        result = narrow_to_asker(card(kb, service, region or DEFAULT_REGION, guide), group, text)
    except NotFound:
        # no place named, or a province, and only one guide in it holds the service ("临时外出就医备案",
        # "四川临时外出就医备案": 乐山's): that guide's
        holders = [
            g
            for g in kb.guides.values()
            if (region is None or any(s.startswith(region + "/") for s in g.scope))
            and service_in_guide(kb, service, g.key)
        ]
        if len(holders) != 1:
            return None
        result = narrow_to_asker(card(kb, service, holders[0].scope[0], guide), group, text)
    return replace(result, district_contacts=[]) if city_only else result


def _answer(
    kb: KnowledgeBase,
    service: str,
    region: str | None,
    aspects: list[str],
    meta: dict,
    local_card: Callable[[str], Card | None],
    question: str,
) -> Reply:
    lookup_region = region or DEFAULT_REGION
    if not guides_for(kb, lookup_region):
        text = wording.no_guide_for(place_name(region), wording.coverage(kb.guides.values()))
        return Reply(text, slots={"region": region}, meta=meta | {"region": region})
    result = local_card(service)
    if result is None:
        text = wording.no_such_service(place_name(lookup_region), service)
        return Reply(text, slots={"service": service, "region": region}, meta=meta | {"region": region})
    region_known = region is not None and result.guide.covers(region)  # not "四川" answered by 乐山's
    text = compose(result, aspects, region_known, passages(kb, result, question), asks_online_tool(question))
    return Reply(
        text,
        slots={"service": result.service.name, "region": region, "aspects": aspects, "offered": []},
        meta=meta
        | {
            "service": result.service.name,
            "region": result.answered_for if region_known else region,
            "sources": list(
                dict.fromkeys(
                    [result.guide.title]
                    + [g.title for g, _ in result.completions if f"（《{g.short}》）" in text]
                )
            ),
        },
        card=structured(result, aspects, region_known=region_known),
    )
