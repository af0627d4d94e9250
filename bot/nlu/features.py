"""The features both learned models read, computed once a message: character n-grams and jieba words of the
normalised text, TF-IDF weighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.text.normalise import normalise_text
from bot.text.tokens import words


@dataclass
class FeaturesConfig:
    """Settings of the features (the component's config keys of the same names)."""

    max_char_ngram: int = 3  # longest character n-gram


def clean(text: str) -> str:
    """The text the models read: normalised, a space between two questions kept as a break."""
    return normalise_text(text, spaces_as_breaks=True)


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
        cleaned = [clean(t) for t in texts]
        chars_idf, words_idf = self._idf
        return sparse.hstack(
            [_weighted(self.chars, chars_idf, cleaned), _weighted(self.words, words_idf, cleaned)]
        ).tocsr()

    @cached_property
    def _idf(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Each fitted vectorizer's idf weights as a diagonal matrix."""
        return sparse.diags(self.chars.idf_, format="csr"), sparse.diags(self.words.idf_, format="csr")

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_idf"} | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": FeaturesConfig(**state["config"])})


def _weighted(vectorizer: TfidfVectorizer, idf: sparse.csr_matrix, texts: list[str]) -> sparse.csr_matrix:
    """``vectorizer.transform(texts)``, as its TfidfTransformer weighs the counts (sublinear tf × idf, unit
    length), without the fitted checks each call of it makes: they recompute the idf vector, a fifth of a
    message's understanding."""
    counts = CountVectorizer.transform(vectorizer, texts).astype(np.float64)
    np.log(counts.data, counts.data)
    counts.data += 1
    return normalize(counts @ idf, copy=False)
