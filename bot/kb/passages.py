"""The sentences of a service's text that speak to a detail the citizen named: "按季度结算吗" finds the
备注's "…按季度结算", "户口迁移证还是户口簿" the 清单's "“户口迁移证”和本人“常住人口登记卡”". A detail is a
word of the question that few 事项 use and that is not what named the service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from bot.kb.concepts import concept_of, concepts
from bot.kb.lookup import Card, Source
from bot.kb.store import KnowledgeBase, Service
from bot.kb.terms import RARE
from bot.text.tokens import tagged

_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
# jieba's parts of speech of a detail: nouns, verbs, adjectives; not places (ns), people (nr), pronouns,
# conjunctions or adverbs ("可以", "还是", "直接")
_KINDS = ("n", "v", "a")
_NOT = ("ns", "nr")
_SKIPPED = {"name", "basis", "evaluation", "supervision", "remedy"}  # laws, ratings, complaints: not a detail


@dataclass(frozen=True)
class Passage:
    """A sentence of one of the card's fields (its own guide's or the 清单's) or of its place's contact row,
    and the details it shares with the question."""

    label: str  # the field's label, "办理时间（宣汉县）" for a contact cell
    source: Source
    sentence: str
    details: frozenset[str]


@lru_cache(maxsize=4)
def _texts(kb: KnowledgeBase) -> tuple[str, ...]:
    """Each 事项's names and fields in every guide, as one text per 事项."""
    concept = concept_of(concepts(kb))
    found: dict[str, list[str]] = {}
    for service in kb.services.values():
        texts = [service.name, *service.aliases, *(f["text"] or "" for f in kb.fields(service.id))]
        found.setdefault(concept.get(service.name, service.name), []).extend(texts)
    return tuple(" ".join(texts) for texts in found.values())


def _rare(kb: KnowledgeBase, word: str) -> bool:
    """True when ``word`` is in the text of at least one 事项 and at most a ``RARE`` share of them."""
    texts = _texts(kb)
    uses = sum(word in text for text in texts)
    return 0 < uses <= max(1, int(RARE * len(texts)))


def details(kb: KnowledgeBase, text: str, service: Service) -> set[str]:
    """The words of ``text`` that few 事项 use, besides those of the service's own names."""
    names = " ".join([service.name, *service.aliases])
    return {
        word
        for word, flag in tagged(text)
        if _WORD.match(word)
        and flag.startswith(_KINDS)
        and not flag.startswith(_NOT)
        and word not in names
        and _rare(kb, word)
    }


def _pieces(result: Card) -> Iterator[tuple[str, Source, str]]:
    """(label, source, sentence) of every field and of the place's row where it is done and when."""
    for info in [*result.fields, *result.twin_fields]:
        if info.key not in _SKIPPED:
            for item in info.items or [info.text]:
                yield from ((info.label, info.source, s.strip()) for s in _SENTENCE.findall(item))
    contact = result.contact
    if contact is not None:
        for label, cell in (("办理地点", contact.place), ("办理时间", contact.hours)):
            if cell:
                yield f"{label}（{contact.area}）", contact.source, cell


def passages(kb: KnowledgeBase, result: Card, text: str) -> list[Passage]:
    """The sentences of the card that share a detail with ``text``, most details first."""
    asked = details(kb, text, result.service)
    found = [
        Passage(label, source, sentence, frozenset(w for w in asked if w in sentence))
        for label, source, sentence in (_pieces(result) if asked else ())
    ]
    return sorted((p for p in found if p.details), key=lambda p: -len(p.details))
