"""Training examples of the service and aspect models.

Three sources: the labelled messages of the Rasa training data (a ``service`` and ``asks`` in an example's or
an intent's metadata; chit-chat intents name no service), the knowledge base's own words for each service
(every guide's names, the lexicon's phrases, the 服务对象 and 办理条件 sentences), and variants of the
labelled messages as citizens mistype them (bot.nlu.augment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from rasa.shared.nlu.constants import INTENT, METADATA, TEXT

from bot.kb.concepts import concept_of, concepts
from bot.kb.store import KnowledgeBase
from bot.nlu.aspect_model import AspectModel, AspectModelConfig
from bot.nlu.aspects import ASPECTS, INTENT_ASPECTS, detect_aspects
from bot.nlu.augment import Augmenter
from bot.nlu.features import FeaturesConfig, TextFeatures
from bot.nlu.models import Models
from bot.nlu.service_model import NONE, NOT_SERVICES, OFF_TOPIC, ServiceModel, ServiceModelConfig

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData

# Intents whose messages are about no service unless their metadata says otherwise.
CHITCHAT = frozenset(
    {"greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "out_of_scope", "human_handoff"}
)
# Labels the question sets use for an aspect under another name.
ASPECT_NAMES = {
    "complaint": "complaint_phone",
    "eligibility": "target",
    "who": "target",
    "conditions": "target",
    "deadline": "time_limit",
    "result": "progress",
    "online": "channel",
    "address": "address",
}
_SENTENCE = re.compile(r"[。；;！!？?\n]")
MIN_SENTENCE, MAX_SENTENCE = 6, 60  # characters of a guide's sentence worth learning from


@dataclass(frozen=True)
class Example:
    """A message with what it is about and what it asks, each None when unlabelled. ``services`` holds the
    concept names it may mean: one, several for a vague one ("报销": every 报销-type service, each equally),
    or NONE."""

    text: str
    services: tuple[str, ...] | None
    aspects: tuple[str, ...] | None


def aspect_labels(asks: Iterable[str]) -> tuple[str, ...]:
    """The question sets' ``asks`` as the aspects of bot.nlu.aspects (unknown ones dropped)."""
    named = {ASPECT_NAMES.get(a, a) for a in asks}
    return tuple(a for a in ASPECTS if a in named)


def intent_aspects(intent: str | None, text: str) -> tuple[str, ...] | None:
    """What an unlabelled example of ``intent`` asks: the intent's aspects its cue words confirm, else the
    intent's first; nothing for chit-chat and bare follow-ups (``inform``); None for an unknown intent."""
    if intent in CHITCHAT or intent == "inform":
        return ()
    if intent not in INTENT_ASPECTS:
        return None
    own = INTENT_ASPECTS[intent]
    cued = [a for a in detect_aspects(text) if a in own]
    return tuple(cued or own[:1])


def service_labels(service: str | None, concept_of: dict[str, str]) -> tuple[str, ...] | None:
    """The concept names a ``service`` label means ("A|B" for several; "none"), None when unlabelled."""
    if service is None:
        return None
    labels = []
    for name in str(service).split("|"):
        if name not in NOT_SERVICES and name not in concept_of:
            raise ValueError(f"{name!r} is no service name of any guide")
        labels.append(concept_of.get(name, name))
    return tuple(labels)


def from_message(text: str, intent: str | None, metadata: dict, concept_of: dict[str, str]) -> Example:
    """An example from a Rasa training message and its metadata ({"intent": {...}, "example": {...}})."""
    labels = {**(metadata.get("intent") or {}), **(metadata.get("example") or {})}
    service = labels.get(
        "service", OFF_TOPIC if intent == "out_of_scope" else NONE if intent in CHITCHAT else None
    )
    try:
        services = service_labels(service, concept_of)
    except ValueError as error:
        raise ValueError(f"training example {text!r}: {error}") from None
    asks = labels.get("asks")
    return Example(text, services, aspect_labels(asks) if asks is not None else intent_aspects(intent, text))


def knowledge_examples(
    kb: KnowledgeBase, concept_of: dict[str, str], phrases: dict[str, set[str]]
) -> list[Example]:
    """Each service in the guides' own words: its names, the lexicon's phrases (a vague one for each service
    it may mean), and the sentences of its 服务对象 and 办理条件."""
    found = [Example(name, (concept,), None) for name, concept in concept_of.items()]
    found += [Example(phrase, tuple(sorted(names)), None) for phrase, names in phrases.items()]
    for row in kb.rows(
        "select s.name, f.text from fields f join services s on s.id = f.service_id "
        "where f.key in ('target', 'conditions')"
    ):
        concept = concept_of.get(row["name"])
        found += [
            Example(part.strip(), (concept,), None)
            for part in _SENTENCE.split(row["text"])
            if concept and MIN_SENTENCE <= len(part.strip()) <= MAX_SENTENCE
        ]
    return found


def settings_of(kind: type, settings: dict[str, Any]) -> Any:
    """The dataclass ``kind`` from the component's settings of the same names."""
    return kind(**{f.name: settings[f.name] for f in fields(kind) if f.name in settings})


def train_on(
    training_data: TrainingData, kb: KnowledgeBase, phrases: dict[str, set[str]], settings: dict[str, Any]
) -> Models:
    """The models of the linker component's ``settings``, fitted on the examples of Rasa ``training_data``
    and on the knowledge base's own words (and ``phrases``, the lexicon's)."""
    names = concept_of(concepts(kb))
    labelled = [
        from_message(m.get(TEXT) or "", m.get(INTENT), m.get(METADATA) or {}, names)
        for m in training_data.intent_examples
    ]
    return train_models(
        labelled,
        knowledge_examples(kb, names, phrases),
        settings_of(FeaturesConfig, settings),
        settings_of(ServiceModelConfig, settings),
        settings_of(AspectModelConfig, settings),
        settings["variants"],
    )


def train_models(
    labelled: list[Example],
    knowledge: list[Example],
    feature_settings: FeaturesConfig,
    services: ServiceModelConfig,
    aspects: AspectModelConfig,
    variants: int = 1,
    seed: int = 13,
) -> Models:
    """Fit the service model on every example with a service (and ``variants`` misspelt variants of each
    labelled one) and the aspect model on every example with aspects."""
    augmenter = Augmenter([e.text for e in labelled], seed)
    varied = labelled + [
        Example(text, e.services, e.aspects)
        for e in labelled
        for text in augmenter.variants(e.text, variants)
    ]
    with_service = [
        (e.text, name, 1 / len(e.services)) for e in varied + knowledge if e.services for name in e.services
    ]
    with_aspects = [e for e in varied if e.aspects is not None]
    texts, names, weights = zip(*with_service)
    features = TextFeatures(feature_settings).fit(list(texts) + [e.text for e in with_aspects])
    service_model = ServiceModel(services).fit(features.transform(texts), names, weights)
    aspect_texts = [e.text for e in with_aspects]
    aspect_model = AspectModel(aspects).fit(
        features.transform(aspect_texts), aspect_texts, [e.aspects or () for e in with_aspects]
    )
    return Models(features, service_model, aspect_model)
