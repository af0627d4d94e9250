"""Variants of training messages as citizens type them: a same-sounding wrong character (报消), a character
dropped or doubled, a dialect particle or a greeting around the question.

Traditional characters need no variants: bot.text.normalise turns them into simplified ones before any model
sees the text.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from bot.text.normalise import HAN
from bot.text.phrases import syllables

PARTICLES = ("啥子", "嘛", "哦", "噻", "呢", "哈", "咯", "么子", "嘞")
OPENINGS = ("请问", "你好，", "麻烦问下", "想问一下", "问哈", "我想问", "师傅，", "同志你好，")


class Augmenter:
    """Makes variants of messages; homophones come from the characters of the messages themselves."""

    def __init__(self, texts: Iterable[str], seed: int = 13) -> None:
        self.rng = random.Random(seed)
        by_sound: dict[str, set[str]] = {}
        for text in texts:
            for char, sound in zip(text, syllables(text)):
                if HAN.match(char):
                    by_sound.setdefault(sound, set()).add(char)
        self.homophones = {
            char: sorted(chars - {char}) for chars in by_sound.values() for char in chars if len(chars) > 1
        }

    def variants(self, text: str, count: int) -> list[str]:
        """Up to ``count`` distinct variants of ``text``, none equal to it."""
        found: list[str] = []
        for _ in range(count * 3):
            variant = self.rng.choice(
                (self._homophone, self._drop, self._double, self._particle, self._opening)
            )(text)
            if variant != text and variant not in found:
                found.append(variant)
            if len(found) == count:
                break
        return found

    def _positions(self, text: str) -> list[int]:
        return [i for i, char in enumerate(text) if HAN.match(char)]

    def _homophone(self, text: str) -> str:
        options = [i for i in self._positions(text) if text[i] in self.homophones]
        if not options:
            return text
        at = self.rng.choice(options)
        return text[:at] + self.rng.choice(self.homophones[text[at]]) + text[at + 1 :]

    def _drop(self, text: str) -> str:
        options = self._positions(text)
        if len(options) < 5:
            return text
        at = self.rng.choice(options)
        return text[:at] + text[at + 1 :]

    def _double(self, text: str) -> str:
        options = self._positions(text)
        if not options:
            return text
        at = self.rng.choice(options)
        return text[: at + 1] + text[at:]

    def _particle(self, text: str) -> str:
        return (
            text.rstrip("？?。！!")
            + self.rng.choice(PARTICLES)
            + ("？" if text.endswith(("？", "?")) else "")
        )

    def _opening(self, text: str) -> str:
        return self.rng.choice(OPENINGS) + text
