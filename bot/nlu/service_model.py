"""The learned service model: which service a message is about, as probabilities.

Features: character 1–3-grams and jieba words (TF-IDF) of the normalised text. One logistic regression per
label (one-vs-rest, liblinear: seconds to train) gives a probability per service and for ``NONE``, the
message that names no service ("要多久", "沙湾区", "谢谢"). A vague example ("报销", "备案要带啥") trains with
each service it may mean at an equal share of its weight, so that vague messages get flat probabilities.
The lexicon's phrases are training examples here; bot.nlu.linker weighs what they name against these
probabilities. Plain scikit-learn; bot.nlu.components trains and persists it inside the Rasa model.

Measured against the alternatives (cross-validation, `python -m bot eval --fast`): a linear SVM with sigmoid
calibration ranks as well but gives vague messages sharp probabilities; a multinomial logistic regression
(lbfgs) takes minutes to train here; the lexicon's evidence as features lowered accuracy on wordings the
phrases were not written for.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu.normalise import normalise_text
from bot.nlu.tokens import words

NONE = "none"  # the label of a message that names no service


@dataclass
class ServiceModelConfig:
    """Settings of the service model (the component's config keys of the same names)."""

    max_char_ngram: int = 3  # longest character n-gram
    regularisation: float = 20.0  # inverse regularisation (C) of the logistic regressions


class ServiceModel:
    """Ranks the services (and ``NONE``) for a message."""

    def __init__(self, config: ServiceModelConfig | None = None) -> None:
        self.config = config or ServiceModelConfig()
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, self.config.max_char_ngram),
                                     sublinear_tf=True)
        self.words = TfidfVectorizer(analyzer=words, sublinear_tf=True)
        self.classifier: LogisticRegression | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None) -> ServiceModel:
        """Train on messages and their service names (or ``NONE``), each with a weight (1 unless given)."""
        clean = [normalise_text(t) for t in texts]
        self.chars.fit(clean)
        self.words.fit(clean)
        self.classifier = LogisticRegression(C=self.config.regularisation, solver="liblinear")
        self.classifier.fit(self._features(clean), np.array(labels),
                            sample_weight=None if weights is None else np.array(weights))
        return self

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every label with its probability, most probable first."""
        return self.rank_many([text])[0]

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        if self.classifier is None:
            raise RuntimeError("the service model is not trained")
        probabilities = self.classifier.predict_proba(self._features([normalise_text(t) for t in texts]))
        labels = list(self.classifier.classes_)
        return [sorted(zip(labels, map(float, row)), key=lambda item: -item[1]) for row in probabilities]

    def _features(self, clean: list[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.chars.transform(clean), self.words.transform(clean)]).tocsr()

    def __getstate__(self) -> dict:
        return self.__dict__ | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": ServiceModelConfig(**state["config"])})
