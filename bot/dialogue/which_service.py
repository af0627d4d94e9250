"""Which service a turn is about: the option picked from an ask-back, the one the message names, or the tied
ones to ask about — dropping those the place's guide lacks, keeping the service talked about when it ties,
and moving to its sibling when only a kind is said ("职工的呢")."""

from __future__ import annotations

import os
import re
from typing import Any

from bot.dialogue.message import Turn, value
from bot.dialogue.places import DEFAULT_REGION
from bot.kb.lookup import guides_for, service_in_guide
from bot.kb.store import Guide, KnowledgeBase, Service
from bot.nlu.linker import LinkerConfig, tied

_PARTICLES = re.compile(r"[的呢吧啊嘛哦噻撒，。？?！!\s]")
AVAILABLE_RATIO = 0.5  # a runner-up this probable beside the top stands in for one the region's guide lacks
SAME_SORT = 4  # characters two names of one sort of service share at their ends (参保登记)


def picked_option(turn: Turn, offered: list[dict[str, str]]) -> dict[str, str]:
    """The offered option the user picked by number ("2", "第二个"), by its title, or by a word or kind that
    only one option holds ("职工的" among 单位/职工/城乡居民参保登记; "城乡居民，马边的")."""
    choice = value(turn.entity("choice"))
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
    return [kind for kind in str(value(turn.entity("service_kind")) or "").split("|") if kind]


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


def close_candidates(turn: Turn) -> list[str]:
    """The services the linker found at least ``AVAILABLE_RATIO`` as probable as its best, best first."""
    found = turn.entity("service") or turn.entity("service_options") or {}
    candidates = found.get("candidates") or []
    return [c["name"] for c in candidates if c["score"] >= candidates[0]["score"] * AVAILABLE_RATIO]


def pick_service(
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
    available = _available(kb, [c["name"] for c in candidates], region, value(turn.entity("guide")))
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


def _available(
    kb: KnowledgeBase, names: list[str], region: str | None, named: str | None = None
) -> list[str]:
    """The services the guide the message names has ("川渝通办 异地备案": its three 备案), else the region's
    most local guide, else another guide for it (all of them where no guide covers the region): 夹江's
    "高血压…慢性病门诊" is 乐山's 门诊慢特病, as 乐山 lists no 两病认定. With no region known, any guide of
    the default province will do (门诊费用跨省直接结算 is the 川渝 guide's)."""
    held = [name for name in names if named and _in_guide(kb, name, kb.guides[named])]
    if held:
        return held
    guides = guides_for(kb, region or DEFAULT_REGION)
    if not guides:
        return names
    if region is None:
        return [name for name in names if any(_in_guide(kb, name, guide) for guide in guides)]
    local = [name for name in names if _in_guide(kb, name, guides[0])]
    return local or [name for name in names if any(_in_guide(kb, name, guide) for guide in guides[1:])]


def in_guide_order(kb: KnowledgeBase, names: list[str], region: str | None) -> list[str]:
    """Tied services in the order the region's guide lists them (门诊 before 住院), as citizens know them."""
    guides = guides_for(kb, region or DEFAULT_REGION)

    def seq(name: str) -> int:
        entry = _in_guide(kb, name, guides[0]) if guides else None
        return entry.seq if entry else len(kb.services)

    return sorted(names, key=seq)
