"""Field conventions shared by the layout parsers."""

from __future__ import annotations

import re

from bot.kb.parsers.text import split_items, strip_final_stop
from bot.kb.records import FieldValue, Span

# Fields whose value is a (possibly numbered) list.
ITEM_KEYS = {"materials", "steps", "remarks", "basis"}


def make_field(key: str, label: str, text: str, span: Span) -> FieldValue:
    """A field with the conventions the parsers share.

    A time limit has the spaces around its numbers collapsed and no final stop;
    list fields get their items (a note after the last material is not an item);
    "无" stays as text with no items.
    """
    if key == "time_limit":
        text = strip_final_stop(re.sub(r"\s*(\d+)\s*", r"\1", text))
    items: list[str] = []
    if key in ITEM_KEYS and strip_final_stop(text) != "无":
        items = split_items(text, keep_tail=key != "materials")
    return FieldValue(key=key, label=label, text=text, span=span, items=items)
