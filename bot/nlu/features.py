"""The features both learned models read, computed once a message: character n-grams and jieba words of the
normalised text, TF-IDF weighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

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
        return sparse.hstack([self.chars.transform(cleaned), self.words.transform(cleaned)]).tocsr()

    def __getstate__(self) -> dict:
        return self.__dict__ | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": FeaturesConfig(**state["config"])})
