"""Rasa graph components: a tokenizer that cleans the text first, and the knowledge-base linker.

Both are thin: the work is done by plain modules in bot/nlu/ that are tested on their own.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.store import KnowledgeBase
from bot.nlu.linker import LinkResult, Linker
from bot.nlu.normalise import normalise_text
from bot.nlu import rasa_speedups

rasa_speedups.apply()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    """Jieba over the normalised text, without whitespace tokens (which break training, RasaHQ/rasa#7910)."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        import jieba

        text = normalise_text(message.get(attribute) or "")
        tokens = [Token(word, start) for word, start, _ in jieba.tokenize(text) if word.strip()]
        return self._apply_token_pattern(tokens)


def link_entities(result: LinkResult) -> list[dict[str, Any]]:
    """The linker's findings as Rasa entities; candidates ride along for the dialogue to ask back."""
    def entity(name: str, value: Any, mention: str = "", confidence: float = 1.0, **extra: Any) -> dict[str, Any]:
        start = result.text.find(mention) if mention else -1
        return {"entity": name, "value": value, "start": max(start, 0),
                "end": start + len(mention) if start >= 0 else 0, "confidence_entity": confidence,
                "extractor": KnowledgeBaseLinker.__name__, **extra}

    entities = []
    candidates = [{"name": c.name, "score": c.score} for c in result.services[:6]]
    if result.service:
        entities.append(entity("service", result.service.name, result.service.mention, result.service.score,
                               candidates=candidates, by_similarity=not result.service.mention))
    elif result.services:
        entities.append(entity("service_options", "|".join(c.name for c in result.tied()),
                               result.services[0].mention, result.services[0].score, candidates=candidates,
                               by_similarity=not result.services[0].mention))
    if result.region:
        entities.append(entity("region", result.region.path, result.region.mention,
                               0.6 if result.region.ambiguous else 1.0, candidates=result.region.candidates,
                               visited=result.visited))
    entities += [entity("aspect", aspect) for aspect in result.aspects]
    if result.group:
        entities.append(entity("insured_group", result.group))
    if result.city_level:
        entities.append(entity("city_level", "市本级"))
    if result.choice:
        entities.append(entity("choice", str(result.choice)))
    if result.uncovered:
        entities.append(entity("uncovered", result.uncovered))
    if result.kinds:
        entities.append(entity("service_kind", "|".join(result.kinds), result.modifiers[0], words=result.modifiers))
    return entities


# Intents DIET may give a question in odd wording; a service named by a phrase overrides them.
NOT_QUESTIONS = {"greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "out_of_scope", "human_handoff"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeBaseLinker(GraphComponent, EntityExtractorMixin):
    """Adds service, region, aspect and choice entities found by :class:`bot.nlu.linker.Linker`; a message that
    is only a choice number, or names a service but got a chit-chat intent, becomes ``inform``."""

    def __init__(self, linker: Linker) -> None:
        self.linker = linker

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> KnowledgeBaseLinker:
        return cls(Linker(KnowledgeBase()))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            result = self.linker.link(message.get(TEXT) or "")
            message.set(ENTITIES, message.get(ENTITIES, []) + link_entities(result), add_to_output=True)
            if result.choice or ((result.uncovered or result.services and result.services[0].mention)
                                 and (message.get(INTENT) or {}).get("name") in NOT_QUESTIONS):
                # "2" answers a numbered question; a message naming a service or a topic is a question about it
                message.set(INTENT, {"name": "inform", "confidence": 1.0}, add_to_output=True)
        return messages
