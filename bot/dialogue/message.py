"""The latest user message as a turn sees it: the text, Rasa's intent and the linker's entities, and the
slots before it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def value(entity: dict[str, Any] | None) -> str | None:
    """An entity's value, None for no entity."""
    return entity["value"] if entity else None
