"""The assistant's answers as WeChat text: plain, buttons as numbered choices, cut to the platform's size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.channels.payload import payloads

MAX_BYTES = 2048  # a WeChat text message (passive reply or customer-service message), UTF-8


_MARKDOWN = [
    (re.compile(r"!?\[([^\]\n]+)\]\((\S+?)\)"), r"\1（\2）"),  # [text](url) -> text（url）
    (re.compile(r"\*\*|__|`"), ""),  # bold markers, code ticks
    (re.compile(r"^\s{0,3}(#{1,6}|>)\s*", re.MULTILINE), ""),  # headings, quotes
    (re.compile(r"]]>"), "]] >"),  # would end the reply's CDATA section
]
_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.。、)）]?\s*")


def plain(text: str) -> str:
    """The text without markdown markup."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()


def with_choices(text: str, buttons: list[dict[str, Any]], first: int = 1) -> str:
    """Buttons as choices numbered from ``first`` and how to pick one: the one place choices are numbered."""
    numbered = [(n, plain(str(button.get("title", "")))) for n, button in enumerate(buttons, first)]
    lines = [text] + [f"{n}. {title}" for n, title in numbered]
    lines.append(f"回复 {'、'.join(str(n) for n, _ in numbered)} 选择")
    return "\n".join(lines)


def answer(messages: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The messages Rasa collected as one text, their buttons numbered in a row, and what choosing 1, 2, …
    sends (the payloads, as pressing the button would). Custom payloads are left out."""
    texts: list[str] = []
    choices: list[str] = []
    for message in messages:
        text, buttons = plain(message.get("text") or ""), message.get("buttons") or []
        if text and buttons:
            text = with_choices(text, buttons, len(choices) + 1)
            choices += [str(button.get("payload") or button.get("title") or "") for button in buttons]
        if text:
            texts.append(text)
    return "\n\n".join(texts), choices


def hands_over(messages: list[dict[str, Any]]) -> bool:
    """Whether the answer's data (the custom "yibao" payload) hands the conversation to a person."""
    return any(data.get("handoff") for data in payloads(messages))


def picked(text: str, choices: list[str]) -> str:
    """The choice a reply like "2" (or "２", "2.") picks, else the text itself."""
    number = _NUMBER.fullmatch(text)
    if number and 0 < int(number[1]) <= len(choices):
        return choices[int(number[1]) - 1]
    return text


def split(text: str, limit: int = MAX_BYTES) -> list[str]:
    """The text in messages of at most ``limit`` UTF-8 bytes, cut between lines where possible."""
    parts: list[str] = []
    current = ""
    for line in _lines(text, limit):
        candidate = f"{current}\n{line}" if current else line
        if _size(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = line
    return parts + [current] if current else parts


def _lines(text: str, limit: int) -> Iterator[str]:
    """The lines of the text, a line longer than ``limit`` bytes in several pieces."""
    for line in text.split("\n"):
        while _size(line) > limit:
            cut = len(line.encode()[:limit].decode("utf-8", "ignore"))
            yield line[:cut]
            line = line[cut:]
        yield line


def _size(text: str) -> int:
    return len(text.encode())
