"""jieba words of a message: for the Rasa tokenizer and the service model alike."""

from __future__ import annotations

from pathlib import Path

import jieba

jieba.setLogLevel(60)


def load_dictionary(directory: Path) -> None:
    """Load every user dictionary file of ``directory`` (service, alias and place names from the knowledge
    base), as Rasa's JiebaTokenizer does from its ``dictionary_path``."""
    for path in sorted(directory.glob("*")):
        jieba.load_userdict(str(path))


def words(text: str) -> list[str]:
    """jieba's words of ``text``, without whitespace tokens (which break Rasa's training, RasaHQ/rasa#7910)
    ."""
    return [word for word in jieba.lcut(text) if word.strip()]


def boundaries(text: str) -> set[int]:
    """The offsets where jieba's words of ``text`` begin and end."""
    return {offset for _, start, end in jieba.tokenize(text) for offset in (start, end)}


def is_place_or_unknown(text: str) -> bool:
    """True unless ``text`` is a dictionary word that names no place (jieba's part of speech other than
    "ns"): "苏稽" and "罗城" may be places, "满月" and "劳动" are not."""
    import jieba.posseg

    return not is_word(text) or jieba.posseg.dt.word_tag_tab.get(text) == "ns"


def tagged(text: str) -> list[tuple[str, str]]:
    """jieba's words of ``text`` with their parts of speech ("n" noun, "ns" place, "nr" person, "v" verb…)."""
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.lcut(text)]


def nouns(text: str) -> list[str]:
    """jieba's nouns of ``text`` of two characters or more, places and people's names left out."""
    return [
        word
        for word, flag in tagged(text)
        if flag.startswith("n") and flag[:2] not in ("ns", "nr") and len(word) > 1
    ]


def is_word(text: str) -> bool:
    """True when ``text`` is a word of jieba's dictionary ("经验" is, "井岩" is not)."""
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(text, 0) > 0
