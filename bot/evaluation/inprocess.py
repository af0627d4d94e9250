"""Answering questions in-process: the linker and bot.dialogue without Rasa's server, for fast
cross-validation of the understanding (the whole assistant is measured by `python -m bot batch`).

Every message is taken as a question (intent ``inform``): chit-chat, which Rasa's rules answer, is not part
of what this measures.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.turn import Turn, respond
from bot.kb.store import KnowledgeBase
from bot.nlu.components import link_entities
from bot.nlu.linker import Linker


def answer(kb: KnowledgeBase, linker: Linker, item: dict[str, Any]) -> dict[str, Any]:
    """The batch command's answer to one question item (its history replayed first)."""
    slots: dict[str, Any] = {}
    hint = kb.resolver.resolve(str(item["region_hint"])) if item.get("region_hint") else None
    if hint:
        slots["region_hint"] = hint.path
    reply = None
    for text in [*item.get("history", []), item["q"]]:
        reply = respond(kb, Turn(text, "inform", 1.0, link_entities(linker.link(text)), dict(slots)))
        slots.update(reply.slots)
    assert reply is not None
    meta = reply.meta
    return {
        "id": item["id"],
        "text": reply.text,
        "service": meta.get("service"),
        "region": meta.get("region"),
        "clarify": bool(meta.get("clarify")),
        "intent": "inform",
        "confidence": 1.0,
        "sources": meta.get("sources", []),
    }
