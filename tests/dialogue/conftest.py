"""A conversation driven through the real linker and bot.dialogue, without Rasa's model."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from bot.dialogue.turn import Reply, Turn, respond
from bot.kb.store import KnowledgeBase
from bot.nlu.components import link_entities
from bot.nlu.linker import Linker
from bot.nlu.models import Models


@pytest.fixture(scope="session")
def linker(kb: KnowledgeBase, models: Models) -> Linker:
    return Linker(kb, models)


@pytest.fixture
def chat(kb: KnowledgeBase, linker: Linker) -> Callable[..., Reply]:
    """Say something; slots carry over between calls like the tracker's."""
    slots: dict[str, Any] = {}

    def say(text: str, intent: str = "inform", **metadata: Any) -> Reply:
        turn = Turn(text, intent, 1.0, link_entities(linker.link(text)), dict(slots), metadata)
        reply = respond(kb, turn)
        slots.update(reply.slots)
        return reply

    return say
