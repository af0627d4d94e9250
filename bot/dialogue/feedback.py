"""Feedback on the last answer: the widget's 👍/👎, the hotline operator's right/wrong (with the right service
and place when wrong: a labelled example), and a citizen's own words ("不对", "没用", "答非所问", "谢谢").

What was said about which answer becomes the ``feedback`` slot, so it is kept in the tracker store with the
conversation (masked like everything else) and `python -m bot review` finds it. A second 👎 in a row hands the
conversation to a person (bot.dialogue.handoff).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.dialogue import wording
from bot.dialogue.compose import place_name
from bot.dialogue.handoff import handoff
from bot.dialogue.reply import Reply
from bot.kb.store import KnowledgeBase

NEGATIVE = "feedback_negative"
POSITIVE = ("feedback_positive", "thanks")
REASON = "feedback_reason"  # the widget's reason, given after its 👎
REASONS = ("答非所问", "电话不对", "信息过时", "其他")
HANDOFF_AFTER = 2  # 👎 in a row before a person is offered


@dataclass(frozen=True)
class Said:
    """What the citizen or operator said of the last answer."""

    rating: str  # "up" or "down"
    reason: str | None = None
    label: dict[str, str] | None = None  # the right {"service", "region"}, from the hotline operator
    amends: bool = False  # the reason of the 👎 just given


def is_feedback(intent: str | None, last_answer: dict[str, Any] | None, asks: bool = False) -> bool:
    """Whether the message is said of the last answer: a feedback intent, or a bare "不对" (deny) after an
    answer that asked nothing back (after an ask-back it turns the choices down) and that ``asks`` nothing
    itself ("收钱不": 不 ends a question in dialect)."""
    if intent in (NEGATIVE, REASON) or intent in POSITIVE:
        return True
    answered = bool(last_answer and last_answer.get("service") and not last_answer.get("clarify"))
    return intent == "deny" and answered and not asks


def read(kb: KnowledgeBase, intent: str | None, given: dict[str, Any]) -> Said:
    """The feedback in a message; ``given`` holds what a ``/feedback_negative{…}`` shortcut sent (``reason``,
    and an operator's ``service`` and ``region``, kept only when the knowledge base knows them)."""
    if intent in POSITIVE:
        return Said("up")
    reason = given.get("reason") if given.get("reason") in REASONS else None
    if intent == REASON:
        return Said("down", reason, amends=True)
    return Said("down", reason, _label(kb, given.get("service"), given.get("region")))


def _label(kb: KnowledgeBase, service: Any, region: Any) -> dict[str, str] | None:
    names = {s.name for s in kb.services.values()}
    if not isinstance(service, str) or (service not in names and service != "none"):
        return None
    match = kb.resolver.resolve(region) if isinstance(region, str) and region else None
    return {"service": service, "region": match.path if match else "none"}


def in_a_row(said: Said, previous: dict[str, Any]) -> int:
    """How many 👎 in a row this makes, ``previous`` being the feedback kept before (the ``feedback`` slot,
    emptied by each new answer); a reason completes the 👎 before it and adds none."""
    if said.amends:
        return previous.get("in_a_row", 1)
    return previous.get("in_a_row", 0) + 1 if said.rating == previous.get("rating") == "down" else 1


def worth_keeping(said: Said, last_answer: dict[str, Any] | None, previous: dict[str, Any]) -> bool:
    """Nothing is kept of "谢谢" before any answer, nor of a reason without a 👎 before it."""
    return bool(last_answer) and not (said.amends and previous.get("rating") != "down")


def record(
    said: Said, question: str | None, last_answer: dict[str, Any] | None, channel: str, reply: Reply
) -> dict[str, Any]:
    """The ``feedback`` slot: what was said, of which question and answer, on which channel; whether the
    reply handed over to a person."""
    answer = last_answer or {}
    return {
        "rating": said.rating,
        "reason": said.reason,
        "label": said.label,
        "question": question,
        "channel": channel,
        "in_a_row": reply.meta["in_a_row"],
        "handoff": bool(reply.meta.get("handoff")),
        "amends": said.amends,
        "answer": {key: answer.get(key) for key in ("service", "region", "sources", "clarify", "intent")},
    }


def respond(kb: KnowledgeBase, said: Said, last_answer: dict[str, Any] | None, in_a_row: int) -> Reply:
    """Thanks; an apology with where to turn; an operator's correction acknowledged; or, at the second 👎 in
    a row, the hand-over to a person. Before any answer ("谢谢", "🙏" first thing): what can be asked."""
    if not last_answer and not said.label:
        lead = wording.THANKS_FIRST if said.rating == "up" else ""
        asking: dict[str, Any] = {
            "clarify": True,
            "service": None,
            "region": None,
            "sources": [],
            "feedback": said.rating,
        }
        return Reply(lead + wording.ASK_WHAT, meta=asking)
    answer = last_answer or {}
    meta: dict[str, Any] = {
        "clarify": False,
        "service": None,
        "region": answer.get("region"),
        "sources": [],
        "feedback": said.rating,
        "in_a_row": in_a_row,
    }
    if said.rating == "up":
        return Reply(wording.THANKS, meta=meta)
    if said.amends:
        return Reply(wording.REASON_NOTED, meta=meta)
    if said.label:
        place = place_name(said.label["region"]) if said.label["region"] != "none" else "未指明地区"
        return Reply(wording.correction_noted(said.label["service"], place), meta=meta)
    if in_a_row >= HANDOFF_AFTER:
        reply = handoff(kb, answer.get("service"), answer.get("region"), complaint=False)
        reply.text = f"{wording.SORRY_AGAIN}{reply.text}"
        reply.meta |= {"feedback": said.rating, "in_a_row": in_a_row}
        return reply
    return Reply(wording.SORRY, meta=meta)
