"""The words that set a 事项 apart in its guides' own text: "结婚证" for 计划生育医疗费支付, which few other
事项 mention. A follow-up in the citizen's words ("没得结婚证咋办") is about the 事项 it shares them with."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from bot.kb.concepts import concept_of, concepts
from bot.kb.store import KnowledgeBase
from bot.text.tokens import nouns, words

RARE = 0.15  # a word in no more than this share of the 事项 sets its ones apart
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _content_words(text: str) -> set[str]:
    return {word for word in words(text) if _CJK_WORD.match(word)}


@lru_cache(maxsize=4)
def _words_by_service(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Each 事项's concept name → the words of its name and fields in every guide."""
    concept = concept_of(concepts(kb))
    found: dict[str, set[str]] = {}
    for service in kb.services.values():
        fields = kb.fields(service.id)
        text = " ".join(
            [service.name, *service.aliases]
            + [f["text"] or "" for f in fields]
            + [str(item) for f in fields for item in f["items"]]
        )
        found.setdefault(concept.get(service.name, service.name), set()).update(_content_words(text))
    return {name: frozenset(words_of) for name, words_of in found.items()}


@lru_cache(maxsize=4)
def _vocabulary(kb: KnowledgeBase) -> frozenset[str]:
    return frozenset().union(*_words_by_service(kb).values())


def unknown_nouns(kb: KnowledgeBase, text: str) -> set[str]:
    """The nouns of ``text`` no guide uses ("公积金", "天气", "小学"): a matter the guides are not about."""
    return set(nouns(text)) - _vocabulary(kb)


@lru_cache(maxsize=4)
def distinctive_words(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Each 事项's concept name → the words of its name and fields in every guide that few other 事项 use."""
    found = _words_by_service(kb)
    uses = Counter(word for words_of in found.values() for word in words_of)
    most = max(1, int(RARE * len(found)))
    return {name: frozenset(w for w in words_of if uses[w] <= most) for name, words_of in found.items()}


def shares_words(kb: KnowledgeBase, text: str, service: str) -> bool:
    """True when ``text`` uses a word that sets ``service`` (a concept name) apart."""
    return bool(_content_words(text) & distinctive_words(kb).get(service, frozenset()))
