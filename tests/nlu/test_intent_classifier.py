"""The intent classifier's own probabilities are Rasa's LogisticRegressionClassifier's, message for message."""
from __future__ import annotations

import numpy as np
import pytest
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy import sparse

from bot.nlu.components import IntentClassifier

VOCABULARY = (40, 25)  # the two count-vector featurizers' sizes


def message(rng: np.random.Generator, text: str = "问") -> Message:
    """A message with the sentence features of two featurizers, as the pipeline gives it."""
    found = Message({TEXT: text})
    for origin, size in zip(("words", "chars"), VOCABULARY):
        row = sparse.random(1, size, density=0.15, random_state=rng, format="coo")
        found.add_features(Features(row, "sentence", TEXT, origin))
    return found


@pytest.mark.parametrize("intents", [2, 5])
def test_the_same_intents_and_probabilities_as_rasas_classifier(intents: int) -> None:
    rng = np.random.default_rng(intents)
    classifier = IntentClassifier({}, "intent", None, None)
    X = sparse.random(120, sum(VOCABULARY), density=0.15, random_state=rng, format="csr")
    classifier.clf.fit(X, [f"intent_{i % intents}" for i in range(120)])
    ours = classifier.process([message(np.random.default_rng(s)) for s in range(20)])
    theirs = LogisticRegressionClassifier.process(classifier, [message(np.random.default_rng(s)) for s in range(20)])
    for mine, rasas in zip(ours, theirs):
        assert mine.get("intent")["name"] == rasas.get("intent")["name"]
        assert [r["name"] for r in mine.get("intent_ranking")] == [r["name"] for r in rasas.get("intent_ranking")]
        assert np.allclose([r["confidence"] for r in mine.get("intent_ranking")],
                           [r["confidence"] for r in rasas.get("intent_ranking")], rtol=1e-12, atol=1e-15)


def test_a_message_without_features_gets_no_intent() -> None:
    classifier = IntentClassifier({}, "intent", None, None)
    (found,) = classifier.process([Message({TEXT: "\u200b"})])
    assert found.get("intent") == {"name": None, "confidence": 0.0}
    assert found.get("intent_ranking") == []
