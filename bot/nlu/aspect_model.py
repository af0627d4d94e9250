"""The learned aspect model: what a message asks about a service, several aspects at once.

Multi-label: one logistic regression per aspect over the message's features (bot.nlu.features) and the cue
words of bot.nlu.aspects (a cue is evidence; the model weighs it against the rest of the message). Several
questions in one message ("要带啥、多久能办好、电话多少") are read clause by clause as well: a clause's aspect
counts where the model is sure of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from bot.nlu.aspects import ASPECTS, cue_features
from bot.nlu.features import clean
from bot.text.normalise import han_count

_BREAK = re.compile(r"[，,、。？?！!；;\s]+")


@dataclass
class AspectModelConfig:
    """Settings of the aspect model (the component's config keys of the same names)."""

    regularisation_c: float = 4.0  # inverse regularisation of each aspect's logistic regression
    threshold: float = 0.5  # an aspect with at least this probability is asked
    clause_threshold: float = 0.85  # …or with this probability in one clause of a message of several
    cue_weight: float = 1.0  # scale of the cue-word features beside the unit-length TF-IDF vectors


class AspectModel:
    """Which aspects messages ask, in answer order."""

    def __init__(self, config: AspectModelConfig | None = None) -> None:
        self.config = config or AspectModelConfig()
        self.aspects: list[str] = []
        self.weights = np.zeros((0, 0))  # features × aspects
        self.cue_weights = np.zeros((0, 0))  # cues × aspects
        self.bias = np.zeros(0)

    def fit(
        self, features: sparse.csr_matrix, texts: Sequence[str], aspects: Sequence[Sequence[str]]
    ) -> AspectModel:
        """Train on the features and texts of messages and the aspects each asks."""
        targets = MultiLabelBinarizer(classes=list(ASPECTS)).fit_transform(
            [[a for a in found if a in ASPECTS] for found in aspects]
        )
        present = targets.sum(axis=0) > 0
        classifier = OneVsRestClassifier(
            LogisticRegression(C=self.config.regularisation_c, max_iter=1000, class_weight="balanced")
        )
        classifier.fit(self._with_cues(features, texts), targets[:, present])
        self.aspects = [aspect for aspect, kept in zip(ASPECTS, present) if kept]
        # one matrix product predicts every aspect at once
        weights = np.vstack([e.coef_ for e in classifier.estimators_]).T
        self.weights = np.ascontiguousarray(weights[: features.shape[1]])
        self.cue_weights = np.ascontiguousarray(weights[features.shape[1] :])
        self.bias = np.concatenate([e.intercept_ for e in classifier.estimators_])
        return self

    def probabilities(self, features: sparse.csr_matrix, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per message, each aspect's probability of being asked."""
        scores = expit(features @ self.weights + self._cues(texts) @ self.cue_weights + self.bias)
        return [dict(zip(self.aspects, map(float, row))) for row in np.atleast_2d(scores)]

    def predict(self, features: sparse.csr_matrix, texts: Sequence[str]) -> list[list[str]]:
        """Per message, the aspects asked, in answer order."""
        return [
            [a for a in ASPECTS if found.get(a, 0.0) >= self.config.threshold]
            for found in self.probabilities(features, texts)
        ]

    def asked(self, features: sparse.csr_matrix, texts: Sequence[str]) -> list[str]:
        """The aspects one message asks, from the features and texts of the message (first) and its
        clauses."""
        whole, *parts = self.probabilities(features, texts)
        found = {a for a, p in whole.items() if p >= self.config.threshold}
        found |= {a for part in parts for a, p in part.items() if p >= self.config.clause_threshold}
        return [a for a in ASPECTS if a in found]

    def _cues(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([cue_features(clean(t)) for t in texts], dtype=float) * self.config.cue_weight

    def _with_cues(self, features: sparse.csr_matrix, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.hstack([features, sparse.csr_matrix(self._cues(texts))]).tocsr()

    def __getstate__(self) -> dict:
        return self.__dict__ | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": AspectModelConfig(**state["config"])})


def clauses(text: str) -> list[str]:
    """The clauses of a message of several (two or more Chinese characters each); none for a single one."""
    parts = [p for p in _BREAK.split(clean(text)) if han_count(p) >= 2]
    return parts if len(parts) > 1 else []
