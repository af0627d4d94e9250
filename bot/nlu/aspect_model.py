"""The learned aspect model: what a message asks about a service, several aspects at once.

Multi-label: one logistic regression per aspect over character 1–3-grams of the message and the cue words
of bot.nlu.aspects as features (a cue is evidence, the model weighs it against the rest of the message).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from bot.nlu.aspects import ASPECTS, cue_features
from bot.nlu.normalise import normalise_text


@dataclass
class AspectModelConfig:
    """Settings of the aspect model (the component's config keys of the same names)."""

    regularisation_c: float = 4.0  # inverse regularisation of each aspect's logistic regression
    threshold: float = 0.5  # an aspect with at least this probability is asked
    cue_weight: float = 1.0  # scale of the cue-word features beside the unit-length TF-IDF vector


class AspectModel:
    """Which aspects a message asks, in answer order."""

    def __init__(self, config: AspectModelConfig | None = None) -> None:
        self.config = config or AspectModelConfig()
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.labels = MultiLabelBinarizer(classes=list(ASPECTS))
        self.classifier: OneVsRestClassifier | None = None

    def fit(self, texts: Sequence[str], aspects: Sequence[Sequence[str]]) -> AspectModel:
        clean = [normalise_text(t, spaces_as_breaks=True) for t in texts]
        self.chars.fit(clean)
        targets = self.labels.fit_transform([[a for a in found if a in ASPECTS] for found in aspects])
        present = targets.sum(axis=0) > 0
        self.classifier = OneVsRestClassifier(LogisticRegression(C=self.config.regularisation_c, max_iter=1000,
                                                                 class_weight="balanced"))
        self.classifier.fit(self._features(clean), targets[:, present])
        self._columns = [aspect for aspect, kept in zip(self.labels.classes_, present) if kept]
        return self

    def probabilities(self, text: str) -> dict[str, float]:
        """Each aspect's probability of being asked."""
        if self.classifier is None:
            raise RuntimeError("the aspect model is not trained")
        clean = [normalise_text(text, spaces_as_breaks=True)]
        row = self.classifier.predict_proba(self._features(clean))[0]
        return dict(zip(self._columns, map(float, row)))

    def predict(self, text: str) -> list[str]:
        """The aspects asked, in answer order."""
        found = self.probabilities(text)
        return [aspect for aspect in ASPECTS if found.get(aspect, 0.0) >= self.config.threshold]

    def _features(self, clean: list[str]) -> sparse.csr_matrix:
        cues = np.array([cue_features(text) for text in clean], dtype=float) * self.config.cue_weight
        return sparse.hstack([self.chars.transform(clean), sparse.csr_matrix(cues)]).tocsr()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["config"] = asdict(self.config)
        return state

    def __setstate__(self, state: dict) -> None:
        state["config"] = AspectModelConfig(**state["config"])
        self.__dict__.update(state)
