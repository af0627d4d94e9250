"""A reply of the dialogue, as the actions send it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """What to say, the buttons to offer, the slots to set, a summary for batch and hotline (meta), and the
    answer as data when there is one (bot.dialogue.structured)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    card: dict[str, Any] | None = None
