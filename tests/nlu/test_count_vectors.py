"""The sentence count vectors: Rasa's CountVectorsFeaturizer's sentence features, counted straight, and no
sequence features of the text."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components import SentenceCountVectorsFeaturizer

TRAINING = ["住院 报销 要 带 啥", "乐山 门诊 报销 电话", "生育 津贴 咋个 报", "报销 报销 报销", "异地 安置 备案"]
ASKED = ["住院 报销 报销 电话", "没见过 的 字词", "报", "", "😀 ABC 住院"]


def featurized(kind: type[CountVectorsFeaturizer], config: dict, tmp_path: Path) -> list[Message]:
    context = ExecutionContext(GraphSchema({}), "test")
    (tmp_path / kind.__name__).mkdir()
    storage = LocalModelStorage(tmp_path / kind.__name__)
    tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), storage, Resource("t"), context)
    featurizer = kind.create(kind.get_default_config() | config, storage, Resource("cvf"), context)
    training = TrainingData([Message({TEXT: t, "intent": "ask"}) for t in TRAINING])
    tokenizer.process_training_data(training)
    featurizer.train(training)
    messages = tokenizer.process([Message({TEXT: t}) for t in ASKED])
    return featurizer.process(messages)


@pytest.mark.parametrize("config", [{}, {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3}])
def test_the_sentence_features_are_rasas_and_there_is_no_sequence(config: dict, tmp_path: Path) -> None:
    ours = featurized(SentenceCountVectorsFeaturizer, config, tmp_path)
    rasas = featurized(CountVectorsFeaturizer, config, tmp_path)
    for mine, theirs in zip(ours, rasas):
        sequence, sentence = mine.get_sparse_features(TEXT)
        expected = theirs.get_sparse_features(TEXT)[1]
        assert sequence is None
        if expected is None:
            assert sentence is None
            continue
        assert sentence is not None and sentence.features.shape == expected.features.shape
        assert (sentence.features.toarray() == expected.features.toarray()).all()
    assert ours[0].get_sparse_features(TEXT)[1].features.sum() > 0  # something was counted
