"""The answer data the actions send beside their text (the custom "yibao" payload: service, region, clarify,
sources, card…), read the same way by every channel and by the batch."""

from __future__ import annotations

from typing import Any


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answer data of each bot message that carries some."""
    found = [m["custom"].get("yibao") for m in messages if isinstance(m.get("custom"), dict)]
    return [data for data in found if isinstance(data, dict)]


def answer_data(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The reply's answer data ({} for a reply that carries none, e.g. the default fallback)."""
    return next(iter(payloads(messages)), {})
