"""The features both learned models read, computed once a message: character n-grams and jieba words of the
normalised text, TF-IDF weighted."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.text.normalise import normalise_text
from bot.text.tokens import words


@dataclass
class FeaturesConfig:
    """Settings of the features (the component's config keys of the same names)."""

    max_char_ngram: int = 3  # longest character n-gram


def clean(text: str) -> str:
    """The text the models read: normalised, a space between two questions kept as a break."""
    return normalise_text(text, spaces_as_breaks=True)


def term_counts(analyze: Callable[[str], list[str]], vocabulary: dict[str, int], text: str) -> Counter[int]:
    """How often each vocabulary entry is among the analyzer's terms of ``text``, as scikit-learn's
    CountVectorizer counts them (by column)."""
    return Counter(column for column in map(vocabulary.get, analyze(text)) if column is not None)


class TextFeatures:
    """Character 1–n-grams and jieba words, each a unit-length TF-IDF vector."""

    def __init__(self, config: FeaturesConfig | None = None) -> None:
        self.config = config or FeaturesConfig()
        self.chars = TfidfVectorizer(
            analyzer="char", ngram_range=(1, self.config.max_char_ngram), sublinear_tf=True
        )
        self.words = TfidfVectorizer(analyzer=words, sublinear_tf=True)

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        cleaned = [clean(t) for t in texts]
        self.chars.fit(cleaned)
        self.words.fit(cleaned)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The rows ``vectorizer.transform`` gives (sublinear tf × idf, unit length) for both vectorizers,
        side by side, built in one matrix: sklearn's own path builds, checks and multiplies a sparse matrix
        at each step, a tenth of the Rasa server's work for a message and its few clauses."""
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for text in map(clean, texts):
            for analyze, vocabulary, idf, offset in self._parts:
                counts = term_counts(analyze, vocabulary, text)
                weights = {column: (math.log(n) + 1) * idf[column] for column, n in sorted(counts.items())}
                norm = math.sqrt(sum(w * w for w in weights.values()))
                indices += (offset + column for column in weights)
                data += (w / norm for w in weights.values())
            indptr.append(len(indices))
        arrays = (np.array(data), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32))
        return sparse.csr_matrix(arrays, shape=(len(indptr) - 1, self._width))

    @cached_property
    def _parts(self) -> list[tuple[Callable[[str], list[str]], dict[str, int], list[float], int]]:
        """Each fitted vectorizer's analyzer, vocabulary, idf weights and first column."""
        parts, offset = [], 0
        for vectorizer in (self.chars, self.words):
            idf = vectorizer.idf_.tolist()
            parts.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, idf, offset))
            offset += len(vectorizer.vocabulary_)
        return parts

    @property
    def _width(self) -> int:
        return len(self.chars.vocabulary_) + len(self.words.vocabulary_)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_parts"} | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": FeaturesConfig(**state["config"])})
