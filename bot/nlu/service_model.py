"""The learned service model: which service a message is about, as probabilities.

On the message's features (bot.nlu.features: character n-grams and jieba words), one logistic regression per
label (one-vs-rest, liblinear: seconds to train) gives a probability per service, for ``NONE``, the
message that names no service ("要多久", "沙湾区", "谢谢"), and for ``OFF_TOPIC``, the message about
another office's matter or none at all ("公积金提取要带啥", "讲个笑话"). A vague example ("报销",
"备案要带啥") trains with each service it may mean at an equal share of its weight, so that vague messages
get flat probabilities.
The lexicon's phrases are training examples here; bot.nlu.linker weighs what they name against these
probabilities. Plain scikit-learn; bot.nlu.components trains and persists it inside the Rasa model.

Measured against the alternatives (cross-validation, `python -m bot eval --fast`; README): a linear SVM with
sigmoid calibration ranks as well but gives vague messages sharp probabilities; a multinomial logistic
regression (lbfgs) takes minutes to train here; spaCy's bag-of-words textcat was less accurate and slower to
train; the lexicon's evidence as features lowered accuracy on wordings the phrases were not written for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

NONE = "none"  # the label of a message that names no service
OFF_TOPIC = "off_topic"  # the label of a message about no 医保 matter (the out_of_scope intent's examples)
NOT_SERVICES = frozenset({NONE, OFF_TOPIC})


@dataclass
class ServiceModelConfig:
    """Settings of the service model (the component's config keys of the same names)."""

    regularisation: float = 20.0  # inverse regularisation (C) of the logistic regressions


class ServiceModel:
    """Ranks the services (and ``NONE``, ``OFF_TOPIC``) for messages."""

    def __init__(self, config: ServiceModelConfig | None = None) -> None:
        self.config = config or ServiceModelConfig()
        self.classifier: LogisticRegression | None = None

    def fit(
        self, features: sparse.csr_matrix, labels: Sequence[str], weights: Sequence[float] | None = None
    ) -> ServiceModel:
        """Train on the features of messages and their service names (or ``NONE``), each with a weight."""
        self.classifier = LogisticRegression(C=self.config.regularisation, solver="liblinear")
        self.classifier.fit(
            features, np.array(labels), sample_weight=None if weights is None else np.array(weights)
        )
        return self

    def rank(self, features: sparse.csr_matrix) -> list[list[tuple[str, float]]]:
        """Per message, every label with its probability, most probable first."""
        if self.classifier is None:
            raise RuntimeError("the service model is not trained")
        labels = list(self.classifier.classes_)
        return [
            sorted(zip(labels, map(float, row)), key=lambda item: -item[1])
            for row in self.classifier.predict_proba(features)
        ]

    def __getstate__(self) -> dict:
        return self.__dict__ | {"config": asdict(self.config)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state | {"config": ServiceModelConfig(**state["config"])})
