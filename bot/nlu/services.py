"""The lexicon's evidence of which service a message names: official names, colloquial phrases, homophones.

Phrases come from the knowledge base (every guide's 事项名称 and aliases) and from
``knowledge/service_aliases.yml`` (how citizens say it). A phrase may mean several
services ("报销"): it then supports each of them a little. The evidence is one of the
service model's features (bot.nlu.service_model) and gives each service the words
that named it; it decides nothing by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import paths
from bot.kb.concepts import concepts
from bot.kb.store import KnowledgeBase
from bot.text.phrases import PhraseFinder, syllables
from bot.text.tokens import boundaries

OFFICIAL_WEIGHT = 2.0  # a guide's own name for a service outweighs a colloquial phrase
HOMOPHONE_WEIGHT = 0.9  # a phrase found only by its sound ("报消")


@dataclass
class Evidence:
    """What the lexicon found in one message."""

    support: dict[str, float] = field(
        default_factory=dict
    )  # service → summed weight of the phrases naming it
    mention: dict[str, str] = field(default_factory=dict)  # service → the longest phrase that named it
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the naming phrases are in the message
    modifiers: list[str] = field(default_factory=list)  # words that tell kinds apart, when nothing is named

    @property
    def named(self) -> bool:
        return bool(self.support)

    def vague_family(self) -> set[str]:
        """The services the phrases support most, alike ("变更登记": 单位, 职工 and 城乡居民 变更登记)."""
        if not self.support:
            return set()
        best = max(self.support.values())
        return {name for name, weight in self.support.items() if weight >= best - 1e-9}


def load_aliases(path: Path, section: str = "aliases") -> dict[str, list[str]]:
    """Phrase → service names from a section of the aliases file (``aliases``, ``modifiers``; empty when
    absent)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(phrase): list(names) for phrase, names in (data.get(section) or {}).items()}


class ServiceLexicon:
    """Phrases of services, found in messages."""

    def __init__(
        self,
        names: dict[str, set[str]],
        aliases: dict[str, list[str]],
        modifiers: dict[str, list[str]] | None = None,
    ) -> None:
        """``names``: each service → its other names in the guides; ``modifiers``: words that only tell apart
        services other phrases name (医院 vs 药店)."""
        self.phrases: dict[str, set[str]] = {}
        self.official: set[str] = set()
        for name, others in names.items():
            for phrase in {name, *others} | {n.removesuffix("登记") for n in (name, *others) if len(n) > 6}:
                self.phrases.setdefault(phrase, set()).add(name)  # "单位参保信息变更" names it without 登记
                self.official.add(phrase)
        for phrase, targets in (aliases | (modifiers or {})).items():
            self.phrases.setdefault(phrase, set()).update(self._canonical(t, names) for t in targets)
        self.modifiers = set(modifiers or ()) - set(aliases) - self.official
        self.names = sorted(names)
        self.finder = PhraseFinder(self.phrases)
        self.sound = {phrase: " ".join(syllables(phrase)) for phrase in self.phrases}

    @staticmethod
    def _canonical(target: str, names: dict[str, set[str]]) -> str:
        if target in names:
            return target
        owner = next((name for name, others in names.items() if target in others), None)
        if owner is None:
            raise ValueError(f"service alias target {target!r} is no service name of any guide")
        return owner

    def evidence(self, text: str) -> Evidence:
        """Each phrase found supports the services it may mean, the more so the fewer they are: "住院…报销"
        supports 住院费用报销 fully (住院) and every 报销-type service a little (报销). Homophones count where
        no phrase is written right, and beside written ones ("住远报销"); modifiers only support services
        the message names otherwise, or that two of them agree on ("药店…结算")."""
        spans = self.finder.find(text)
        written = {phrase for _, _, phrase in spans}
        words = boundaries(text)  # a typo is inside words: "把医保销了" holds no 报销
        sounds = [
            (start, end, phrase)
            for start, end, phrase in self.finder.sounding(text)
            if phrase not in written
            and not any(self._same_sound(phrase, w) for w in written)
            and start in words
            and end in words
        ]
        found = [(phrase, 1.0) for _, _, phrase in spans] + [
            (phrase, HOMOPHONE_WEIGHT) for _, _, phrase in sounds
        ]
        spans += sounds
        naming = {phrase for phrase, _ in found if phrase not in self.modifiers}
        if not naming and self._modifiers_agree(found):
            naming = {phrase for phrase, _ in found}
        if not naming:
            return Evidence(modifiers=[phrase for phrase, _ in found])
        named = {name for phrase in naming for name in self.phrases[phrase]}
        result = Evidence(spans=[(start, end) for start, end, phrase in spans if phrase in naming])
        for phrase, score in found:
            targets = self.phrases[phrase] if phrase in naming else self.phrases[phrase] & named
            weight = score * (OFFICIAL_WEIGHT if phrase in self.official else 1.0) / len(self.phrases[phrase])
            for name in targets:
                result.support[name] = result.support.get(name, 0.0) + weight
                if len(phrase) > len(result.mention.get(name, "")):
                    result.mention[name] = phrase
        return result

    def modifiers_in(self, text: str) -> list[str]:
        """The modifiers in ``text`` ("职工的呢", "那登记的呢"), when nothing in it names a service."""
        return self.evidence(text).modifiers

    def _same_sound(self, phrase: str, written: str) -> bool:
        """True when ``phrase`` sounds like (a part of) a phrase written right: 报消 beside 报销 adds
        nothing."""
        return f" {self.sound[phrase]} " in f" {self.sound[written]} "

    def _modifiers_agree(self, found: list[tuple[str, float]]) -> bool:
        """True when two or more different modifiers are found and some service is meant by all of them."""
        phrases = {phrase for phrase, _ in found}
        return len(phrases) > 1 and bool(set.intersection(*(self.phrases[p] for p in phrases)))


def service_lexicon(kb: KnowledgeBase) -> ServiceLexicon:
    """The lexicon of the knowledge base's services and the aliases file."""
    return ServiceLexicon(
        concepts(kb), load_aliases(paths.SERVICE_ALIASES), load_aliases(paths.SERVICE_ALIASES, "modifiers")
    )
