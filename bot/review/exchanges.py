"""The stored conversations as exchanges (one citizen message and what came of it), each with the problems a
maintainer reviews: 👎 and corrections, asking back twice, fallback, out of scope, not listed, hand-over.

Read through Rasa's own tracker store (the one endpoints.yml configures: SQLite by default, PostgreSQL when
scaled out), so the review sees exactly what the assistant stored, masked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.channels.senders import channel_of

PROBLEMS = {
    "thumbs_down": "答案被点踩（👎）或被指出错误",
    "asked_back_twice": "连续两次反问",
    "fallback": "没有理解（兜底回复）",
    "out_of_scope": "超出范围",
    "not_listed": "指南未列出所问内容",
    "handoff": "转人工",
}
FALLBACK_ACTIONS = {"action_default_fallback", "utter_default"}


@dataclass
class Exchange:
    """One message of a citizen (or operator) and the assistant's reply."""

    conversation: str
    channel: str
    time: float
    text: str
    intent: str | None
    history: list[str]  # the earlier questions of the conversation
    reply: list[str] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=dict)  # the reply's meta (the `answer` slot)
    aspects: list[str] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)  # what was said of this answer later
    said: dict[str, Any] | None = None  # this message is itself feedback on an earlier answer
    fell_back: bool = False
    problems: list[str] = field(default_factory=list)


def exchanges(conversation: str, events: Iterable[dict[str, Any]]) -> list[Exchange]:
    """The exchanges of one conversation's events (Rasa's event dicts), their problems marked."""
    found: list[Exchange] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            found.append(_exchange(conversation, event, found))
        elif not found:
            continue
        elif kind == "bot" and event.get("text"):
            found[-1].reply.append(event["text"])
        elif kind == "action" and event.get("name") in FALLBACK_ACTIONS:
            found[-1].fell_back = True
        elif kind == "slot":
            _slot(found, event.get("name"), event.get("value"))
    for before, exchange in zip([None, *found], found):
        exchange.problems = _problems(exchange, before)
    return found


def _exchange(conversation: str, event: dict[str, Any], found: list[Exchange]) -> Exchange:
    parse = event.get("parse_data") or {}
    return Exchange(
        conversation,
        channel_of(conversation) or event.get("input_channel") or "",
        float(event.get("timestamp") or 0),
        event.get("text") or "",
        (parse.get("intent") or {}).get("name"),
        [e.text for e in found if e.said is None],
    )


def _slot(found: list[Exchange], name: Any, value: Any) -> None:
    current = found[-1]
    if name == "answer" and isinstance(value, dict):
        current.answer = value
    elif name == "aspects" and isinstance(value, list):
        current.aspects = value
    elif name == "feedback" and isinstance(value, dict):
        current.said = value
        rated = next((e for e in reversed(found[:-1]) if e.answer and e.said is None), None)
        if rated and value.get("amends") and rated.feedback:
            rated.feedback[-1] = value  # the widget's reason for the 👎 just given
        elif rated:
            rated.feedback.append(value)


def _problems(exchange: Exchange, before: Exchange | None) -> list[str]:
    if exchange.said is not None:
        return []
    answer = exchange.answer
    checks = {
        "thumbs_down": any(f.get("rating") == "down" for f in exchange.feedback),
        "asked_back_twice": bool(
            answer.get("clarify") and before and before.said is None and before.answer.get("clarify")
        ),
        "fallback": exchange.fell_back or "not_understood" in (answer.get("gaps") or []),
        "out_of_scope": exchange.intent == "out_of_scope" or "off_topic" in (answer.get("gaps") or []),
        "not_listed": bool(set(answer.get("gaps") or []) - {"not_understood", "off_topic"}),
        "handoff": bool(answer.get("handoff")) or any(f.get("handoff") for f in exchange.feedback),
    }
    return [name for name, found in checks.items() if found]


def label_of(exchange: Exchange) -> dict[str, str] | None:
    """The right service and place an operator gave for this answer, the latest one."""
    labels = [f["label"] for f in exchange.feedback if f.get("label")]
    return labels[-1] if labels else None


def stored(endpoints: Path, domain: Path, since: float = 0) -> Iterator[Exchange]:
    """Every exchange since ``since`` (a Unix time) in the tracker store that ``endpoints`` configures."""
    from rasa.core.tracker_store import TrackerStore  # Rasa is heavy: imported by the commands that read
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import read_endpoint_config

    async def read() -> list[Exchange]:
        store = TrackerStore.create(
            read_endpoint_config(str(endpoints), "tracker_store"), Domain.load(domain)
        )
        found = []
        for key in sorted(await store.keys()):
            tracker = await store.retrieve_full_tracker(key)
            if tracker is not None:
                events = [e.as_dict() for e in tracker.events]
                found += [e for e in exchanges(key, events) if e.time >= since]
        return found

    yield from asyncio.run(read())
