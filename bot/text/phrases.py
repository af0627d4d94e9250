"""Finding known phrases in a message with spaCy's PhraseMatcher: by their characters, and by their sound.

A blank ``zh`` pipeline segments Chinese into single characters, so a phrase matches wherever its characters
occur in a row — inside a longer word as well, as citizens run words together ("沙湾住院报销"). A second
matcher runs over pinyin syllables, one a character, so that a phrase typed with a same-sounding wrong
character ("报消", "住远") is found too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import product

import spacy
from pypinyin import Style, lazy_pinyin, pinyin
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

Span = tuple[int, int, str]  # start, end (character offsets) and the phrase found


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    """A blank Chinese pipeline (character segmentation; nothing to download), shared by every matcher."""
    return spacy.blank("zh")


def _as_characters(chars: str) -> str:
    """pypinyin's ``errors`` callback: each character not read as pinyin stands for itself (pypinyin takes a
    list here, one item a character, though its stubs say str)."""
    return list(chars)  # type: ignore[return-value]


@lru_cache(maxsize=1024)
def syllables(text: str) -> tuple[str, ...]:
    """One toneless pinyin syllable per character ("报消" → ("bao", "xiao")); other characters stand for
    themselves. Kept for the last texts read: every finder of a message (services, places) reads its sound."""
    return tuple(lazy_pinyin(text, errors=_as_characters))


def readings(phrase: str) -> list[tuple[str, ...]]:
    """Every way to read ``phrase``, one syllable a character (犍为: jian wei, qian wei)."""
    return list(
        product(
            *(pinyin(char, style=Style.NORMAL, heteronym=True, errors=_as_characters)[0] for char in phrase)
        )
    )


def _outermost(spans: Iterable[Span]) -> list[Span]:
    """The spans that lie inside no longer one, in reading order."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    return [
        s
        for s in ordered
        if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in ordered)
    ]


class PhraseFinder:
    """The phrases of a fixed list that occur in a text, by characters and by sound."""

    def __init__(self, phrases: Iterable[str], every_reading: bool = False) -> None:
        """``every_reading``: a phrase sounds like each reading of its characters, not only the usual one (for
        place names, typed by either reading: 建为县 for 犍为县)."""
        nlp = _pipeline()
        self._nlp = nlp
        self.phrases = sorted({p for p in phrases if p})
        self._by_chars = PhraseMatcher(nlp.vocab)
        self._by_chars.add("phrase", [nlp.make_doc(p) for p in self.phrases])
        self._sound_of: dict[tuple[str, ...], list[str]] = {}
        for phrase in self.phrases:
            sounds = readings(phrase) if every_reading else [syllables(phrase)]
            for sound in sounds:
                if len(phrase) >= 2 and len(sound) == len(phrase):
                    self._sound_of.setdefault(sound, []).append(phrase)
        self._by_sound = PhraseMatcher(nlp.vocab)
        self._by_sound.add("sound", [Doc(nlp.vocab, words=list(sound)) for sound in self._sound_of])

    def find(self, text: str) -> list[Span]:
        """Phrases written as they are, dropping any that lies inside a longer one found."""
        doc = self._nlp.make_doc(text)
        return _outermost(
            (doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), "".join(t.text for t in doc[s:e]))
            for _, s, e in self._by_chars(doc)
        )

    def sounding(self, text: str) -> list[Span]:
        """Phrases whose sound occurs in ``text``, however written ("报消" → 报销), inside no longer one."""
        sounds = syllables(text)
        if len(sounds) != len(text) or not text:
            return []
        doc = Doc(self._nlp.vocab, words=list(sounds))
        return _outermost(
            (s, e, phrase) for _, s, e in self._by_sound(doc) for phrase in self._sound_of[sounds[s:e]]
        )
