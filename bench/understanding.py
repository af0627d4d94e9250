"""Per-message cost of the understanding, in-process (no server): spaCy's PhraseMatcher beside the scanning
loops it replaced, the service and aspect models, and the whole linker.

The two baselines are the loops the project used before bot.text.phrases (kept here only to be measured against):
a ``str.find`` over every service phrase, longest first, and one regular expression of every place name
tried at each position of the message.
"""
from __future__ import annotations

import re
import time
from typing import Any, Callable

from bot import paths
from bot.kb.store import KnowledgeBase
from bot.nlu.linker import Linker
from bot.nlu.models import Models
from bot.text.normalise import normalise_text

ROUNDS = 3  # passes over the messages; the fastest counts


def scan_phrases(ordered: list[str], text: str) -> list[tuple[int, int, str]]:
    """The former service-phrase loop: every phrase searched for, longest first, none inside a longer one."""
    spans: list[tuple[int, int, str]] = []
    for phrase in ordered:
        start = text.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not any(s <= start and end <= e for s, e, _ in spans):
                spans.append((start, end, phrase))
            start = text.find(phrase, start + 1)
    return sorted(spans)


def scan_places(pattern: re.Pattern[str], text: str) -> list[str]:
    """The former place-name loop: the longest name at each position that reaches past the last one."""
    found, reach = [], 0
    for start in range(len(text)):
        match = pattern.match(text, start)
        if match and match.end() > reach:
            found.append(match.group(0))
            reach = match.end()
    return found


def per_message_ms(work: Callable[[str], Any], texts: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1000


def measure(texts: list[str]) -> dict[str, float]:
    """Milliseconds per message of each part, over ``texts`` (normalised first, as the linker reads them)."""
    kb = KnowledgeBase()
    linker = Linker(kb, Models.from_rasa_model(paths.MODEL))
    clean = [normalise_text(t) for t in texts]
    ordered = sorted(linker.lexicon.phrases, key=len, reverse=True)
    places = re.compile("|".join(map(re.escape, sorted(kb.resolver.by_name, key=len, reverse=True))))
    models = linker.models
    assert models is not None
    return {
        "messages": len(clean),
        "phrases_matcher_ms": per_message_ms(linker.lexicon.finder.find, clean),
        "phrases_loop_ms": per_message_ms(lambda t: scan_phrases(ordered, t), clean),
        "places_matcher_ms": per_message_ms(kb.resolver.mentions, clean),
        "places_loop_ms": per_message_ms(lambda t: scan_places(places, t), clean),
        "features_ms": per_message_ms(lambda t: models.features.transform([t]), clean),
        "models_ms": per_message_ms(models.read, clean),
        "linker_ms": per_message_ms(linker.link, texts),
    }
