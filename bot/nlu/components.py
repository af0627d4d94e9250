"""Rasa graph components: a tokenizer that cleans the text first, count vectors of the sentence alone, an
intent classifier that survives a message without features, and the knowledge-base linker, which
``rasa train`` trains (the service and aspect models) and persists inside the Rasa model.

All are thin: the work is done by Rasa's own components or by plain modules in bot/nlu/ that are tested on
their own.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy import sparse
from sklearn.utils.extmath import softmax

from bot import heap, rasa_speedups
from bot.kb.store import KnowledgeBase
from bot.nlu.aspect_model import AspectModelConfig
from bot.nlu.features import FeaturesConfig, term_counts
from bot.nlu.linker import Linker, LinkerConfig, LinkResult
from bot.nlu.models import FILE_NAME, Models
from bot.nlu.service_model import ServiceModelConfig
from bot.nlu.training import settings_of, train_on
from bot.text.normalise import normalise_text

rasa_speedups.apply()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    """Jieba over the normalised text, without whitespace tokens (which break training, RasaHQ/rasa#7910)."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        import jieba

        text = normalise_text(message.get(attribute) or "")
        tokens = [Token(word, start) for word, start, _ in jieba.tokenize(text) if word.strip()]
        return self._apply_token_pattern(tokens)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer without the token-by-vocabulary sequence features of a message's text,
    which only sequence models (DIET, TED) read: the IntentClassifier reads the sentence features alone.
    Those are the counts scikit-learn's transform gives, counted straight into one row (its checks and
    matrix building per message, with the sequence matrix, were 7 % of the Rasa server's work). Other
    attributes as Rasa does."""

    def _create_features(
        self, attribute: str, all_tokens: list[list[str]]
    ) -> tuple[list[sparse.spmatrix | None], list[sparse.spmatrix | None]]:
        vectorizer = self.vectorizers.get(attribute)
        if vectorizer is None or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES or vectorizer.binary:
            return super()._create_features(attribute, all_tokens)
        rows = [self._sentence_row(attribute, " ".join(tokens)) if tokens else None for tokens in all_tokens]
        return [None] * len(all_tokens), rows

    def _sentence_row(self, attribute: str, text: str) -> sparse.coo_matrix:
        """The attribute's vectorizer's counts of the text, as one row of its vocabulary's width."""
        vectorizer = self.vectorizers[attribute]
        analyzers: dict[str, Any] = self.__dict__.setdefault("_analyzers", {})
        if attribute not in analyzers:
            analyzers[attribute] = vectorizer.build_analyzer()
        counts = sorted(term_counts(analyzers[attribute], vectorizer.vocabulary_, text).items())
        columns, values = [c for c, _ in counts], [n for _, n in counts]
        shape = (1, len(vectorizer.vocabulary_))
        return sparse.coo_matrix((values, ([0] * len(counts), columns)), shape=shape, dtype=vectorizer.dtype)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier, which fails on a message that has no features at all (nothing but
    a zero-width space): such a message gets no intent, so the FallbackClassifier gives it
    ``nlu_fallback``.

    A message's probabilities are those of ``predict_proba``, computed from its nonzero features alone: Rasa
    stacks each message's features into a new matrix (twice combining the featurizers' parts) and
    scikit-learn multiplies it with a transposed copy of the whole weight matrix, two thirds of a millisecond
    a message of the Rasa server's time."""

    def process(self, messages: list[Message]) -> list[Message]:
        length = self.config[RANKING_LENGTH]
        for message in messages:
            features = message.get_sparse_features(TEXT)[1]
            if features is not None and message.get_dense_features(TEXT)[1] is not None:
                super().process([message])  # dense features beside: Rasa's own way
                continue
            ranking = self._ranking(features.features) if features is not None else []
            intent = ranking[0] if ranking else {"name": None, "confidence": 0.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set("intent_ranking", ranking[:length] if length > 0 else ranking, add_to_output=True)
        return messages

    def _ranking(self, features: Any) -> list[dict[str, Any]]:
        """The intents of one message's sparse features (1 × vocabulary), most probable first."""
        row = sparse.csr_matrix(features)
        coef, intercept = self.clf.coef_, self.clf.intercept_
        scores = (coef[:, row.indices] @ row.data + intercept)[np.newaxis, :]
        if self.clf.classes_.size > 2 and self.clf.multi_class in ("auto", "multinomial"):
            probabilities = softmax(scores)[0]
        else:  # one-vs-rest: scikit-learn's own way
            probabilities = self.clf.predict_proba(row)[0]
        ranking = [{"name": k, "confidence": v} for k, v in zip(self.clf.classes_, probabilities)]
        return sorted(ranking, key=lambda e: -e["confidence"])


def link_entities(result: LinkResult) -> list[dict[str, Any]]:
    """The linker's findings as Rasa entities; candidates ride along for the dialogue to ask back."""

    def entity(
        name: str, value: Any, mention: str = "", confidence: float = 1.0, **extra: Any
    ) -> dict[str, Any]:
        start = result.text.find(mention) if mention else -1
        return {
            "entity": name,
            "value": value,
            "start": max(start, 0),
            "end": start + len(mention) if start >= 0 else 0,
            "confidence_entity": confidence,
            "extractor": KnowledgeBaseLinker.__name__,
            **extra,
        }

    entities = []
    candidates = [
        {"name": c.name, "score": c.score, "mention": c.mention, "evidence": list(c.evidence)}
        for c in result.services
    ]
    if result.services:
        top = result.services[0]
        named = result.service is not None
        entities.append(
            entity(
                "service" if named else "service_options",
                top.name if named else "|".join(c.name for c in result.tied()),
                top.mention,
                top.score,
                candidates=candidates,
                tentative=not result.confident,
                tie_ratio=result.tie_ratio,
            )
        )
    if result.region:
        entities.append(
            entity(
                "region",
                result.region.path,
                result.region.mention,
                0.6 if result.region.ambiguous else 1.0,
                candidates=result.region.candidates,
                visited=result.visited,
            )
        )
    if result.elsewhere:
        entities.append(entity("elsewhere", result.elsewhere))
    entities += [entity("aspect", aspect) for aspect in result.aspects]
    if result.group:
        entities.append(entity("insured_group", result.group))
    if result.city_level:
        entities.append(entity("city_level", "市本级"))
    if result.some_district:
        entities.append(entity("some_district", True))
    entities += [entity("unstated", what) for what in result.unstated]
    if result.choice:
        entities.append(entity("choice", str(result.choice)))
    if result.uncovered:
        entities.append(entity("uncovered", result.uncovered, aside=result.uncovered_aside))
    if result.guide:
        entities.append(entity("guide", result.guide))
    if result.off_topic:
        entities.append(entity("off_topic", True))
    if result.kinds:
        entities.append(
            entity("service_kind", "|".join(result.kinds), result.modifiers[0], words=result.modifiers)
        )
    return entities


# Intents DIET may give a question in odd wording; a service named by a phrase overrides them.
NOT_QUESTIONS = {
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "bot_challenge",
    "out_of_scope",
    "human_handoff",
}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class KnowledgeBaseLinker(GraphComponent, EntityExtractorMixin):
    """Adds service, region, aspect and choice entities found by :class:`bot.nlu.linker.Linker` with the
    service and aspect models it trains; a message that is only a choice number, or names a service but got a
    chit-chat intent, becomes ``inform``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Every number that steers the understanding; each can be set in config.yml. See the dataclasses'
        comments: bot.nlu.features.FeaturesConfig, bot.nlu.service_model.ServiceModelConfig,
        bot.nlu.aspect_model.AspectModelConfig, bot.nlu.linker.LinkerConfig."""
        return {
            **asdict(FeaturesConfig()),
            **asdict(ServiceModelConfig()),
            **asdict(AspectModelConfig()),
            **asdict(LinkerConfig()),
            "variants": 1,
        }  # misspelt variants of each labelled example (bot.nlu.augment)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        kb: KnowledgeBase,
        models: Models | None = None,
    ) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.kb = kb
        self.linker = Linker(kb, models, settings_of(LinkerConfig, config))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeBaseLinker:
        return cls(config, model_storage, resource, KnowledgeBase())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnowledgeBaseLinker:
        component = cls.create(config, model_storage, resource, execution_context)
        with model_storage.read_from(resource) as directory:
            data = (Path(directory) / FILE_NAME).read_bytes()
        component.linker.models = Models.load(data)
        heap.settle()  # the model's largest part is loaded: what the server holds from now on stays
        return component

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the service and aspect models on the labelled training examples and the knowledge base."""
        models = train_on(training_data, self.kb, self.linker.lexicon.phrases, self.config)
        with self.model_storage.write_to(self.resource) as directory:
            models.dump(Path(directory))
        self.linker.models = models
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            result = self.linker.link(message.get(TEXT) or "")
            message.set(ENTITIES, message.get(ENTITIES, []) + link_entities(result), add_to_output=True)
            if result.choice or (
                (result.uncovered or result.services and result.services[0].mention)
                and (message.get(INTENT) or {}).get("name") in NOT_QUESTIONS
            ):
                # "2" answers a numbered question; a message naming a service or a topic is a question about
                # it
                message.set(INTENT, {"name": "inform", "confidence": 1.0}, add_to_output=True)
        return messages
