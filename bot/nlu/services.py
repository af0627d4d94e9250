"""Which service a message names: exact names, colloquial phrases, homophones (pinyin) and near misses.

Phrases come from the knowledge base (every guide's 事项名称 and aliases) and
from ``knowledge/service_aliases.yml`` (how citizens say it). A phrase may mean
several services ("报销"): then the candidates tie and the dialogue asks back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

EXACT, HOMOPHONE = 1.0, 0.9
OFFICIAL_WEIGHT = 2.0  # a guide's own name for a service outweighs a colloquial phrase
MIN_SIMILARITY = 0.12
TIE_BREAK = 0.3
TIE_MARGIN = 0.05  # candidates this close (score 0–1) are tied: the dialogue asks which one
MIN_ABOUT = 3  # Chinese characters left besides places and question words, for a similarity-only guess
_CJK = re.compile(r"[\u4e00-\u9fff]")
FIRST_BONUS = 0.1  # citizens name the topic first: "生育津贴，产检已经结算了…" asks about 生育津贴
PAST_WEIGHT = 0.5  # a phrase after 之前 or before 以后 tells what came before


@dataclass(frozen=True)
class ServiceCandidate:
    """A service name (as a guide writes it) and how sure the linker is, 0–1."""

    name: str
    score: float
    mention: str


def load_aliases(path: Path, section: str = "aliases") -> dict[str, list[str]]:
    """Phrase → service names from a section of the aliases file (``aliases``, ``modifiers``, ``specialises``;
    empty when absent)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(phrase): list(names) for phrase, names in (data.get(section) or {}).items()}


def _syllables(text: str) -> str:
    """" bao xiao " for 报销: space-separated pinyin with sentinels, for whole-syllable containment."""
    return " " + " ".join(lazy_pinyin(text)) + " "


class ServiceLinker:
    """Finds services in a message."""

    def __init__(self, names: dict[str, set[str]], aliases: dict[str, list[str]],
                 descriptions: dict[str, str] | None = None, modifiers: dict[str, list[str]] | None = None,
                 specialises: dict[str, list[str]] | None = None) -> None:
        """``names``: each service → its other names in the guides; ``descriptions``: extra words per service
        (e.g. its 服务对象) for the similarity fallback; ``modifiers``: words that only tell apart services other
        phrases found (医院 vs 药店); ``specialises``: a service → the general ones it is a case of (生育医疗费
        of 住院费用): named together, the special one is meant."""
        self.phrases: dict[str, set[str]] = {}
        self.official: set[str] = set()
        for name, others in names.items():
            for phrase in {name, *others} | {n.removesuffix("登记") for n in (name, *others) if len(n) > 6}:
                self.phrases.setdefault(phrase, set()).add(name)  # "单位参保信息变更" names it without 登记
                self.official.add(phrase)
        for phrase, targets in (aliases | (modifiers or {})).items():
            self.phrases.setdefault(phrase, set()).update(self._canonical(t, names) for t in targets)
        self.modifiers = set(modifiers or ()) - set(aliases) - self.official
        self.specialises = {self._canonical(s, names): {self._canonical(g, names) for g in general}
                            for s, general in (specialises or {}).items()}
        self.ordered = sorted(self.phrases, key=len, reverse=True)
        self.pinyin = {phrase: _syllables(phrase) for phrase in self.ordered}
        self.names = sorted(names)
        profiles = [" ".join([name, *names[name], *(p for p, t in self.phrases.items() if name in t),
                              (descriptions or {}).get(name, "")]) for name in self.names]
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
        self.profiles = self.vectorizer.fit_transform(profiles)

    @staticmethod
    def _canonical(target: str, names: dict[str, set[str]]) -> str:
        if target in names:
            return target
        owner = next((name for name, others in names.items() if target in others), None)
        if owner is None:
            raise ValueError(f"service alias target {target!r} is no service name of any guide")
        return owner

    def link(self, text: str, about: str | None = None) -> list[ServiceCandidate]:
        """Candidates, best first. Exact phrases beat homophones beat character overlap.

        Each phrase found supports the services it may mean, the more so the fewer
        they are: "住院…报销" supports 住院费用报销 fully (住院) and every 报销-type
        service a little (报销), so 住院费用报销 wins; "报销" alone leaves them tied.
        ``about`` (the message without place names and question words) feeds the similarity fallback.
        """
        found = self._phrases_in(text)
        typos = self._typos_beside(found, text) if found else []
        found = found + typos or self._homophones_in(text)
        naming = {phrase for phrase, _ in found if phrase not in self.modifiers} - {phrase for phrase, _ in typos}
        if not naming and self._modifiers_agree(found):
            naming = {phrase for phrase, _ in found}  # "药店…结算" together name a service
        if not naming:
            found = []  # a modifier alone names no service
        about = text if about is None else about
        similar = self.similarity(about)
        if not found:
            return self._by_similarity(similar) if len(_CJK.findall(about)) >= MIN_ABOUT else []
        support: dict[str, float] = {}
        mention: dict[str, str] = {}
        named = {name for phrase in naming for name in self.phrases[phrase]}
        first = next(phrase for phrase, _ in found if phrase in naming)
        for phrase, score in found:
            targets = self.phrases[phrase] if phrase in naming else self.phrases[phrase] & named
            if not targets:
                continue  # a modifier supports only services the message names otherwise
            weight = score * (OFFICIAL_WEIGHT if phrase in self.official else 1.0) / len(self.phrases[phrase])
            if re.search(f"{re.escape(phrase)}了?(?:以后|之后|过后|期间)|(?:之前|以前|原来|上次)了?{re.escape(phrase)}", text):
                weight *= PAST_WEIGHT  # "中止协议以后想恢复", "之前中止了协议": what happened before, not what is asked
            else:
                weight *= 1.0 + (FIRST_BONUS if phrase == first else 0.0)
            for name in targets:
                support[name] = support.get(name, 0.0) + weight
                if len(phrase) > len(mention.get(name, "")):
                    mention[name] = phrase
        for special, general in self.specialises.items():
            if any(special in self.phrases[p] and not self.phrases[p] & general for p in naming):
                # "生的娃…住院费没直接结算": the 住院 of a birth is the 生育医疗费 (not "住院了…报销": 报销 names both)
                support[special] += max((support[g] for g in general if g in support), default=0.0)
        best = max(support.values())
        tied = sorted((n for n, v in support.items() if best - v < 1e-9), key=lambda n: -similar.get(n, 0.0))
        for name in tied:
            support[name] += TIE_BREAK * similar.get(name, 0.0)  # the rest of the message breaks ties…
        top = max(support.values())
        if len(tied) > 1 and support[tied[0]] - support[tied[1]] < TIE_MARGIN * top:
            support.update(dict.fromkeys(tied, top))  # …or else all of them stay tied, to be offered

        base = max(score for _, score in found)
        ranked = [ServiceCandidate(name, round(base * value / top, 3), mention[name]) for name, value in support.items()]
        return sorted(ranked, key=lambda c: (-c.score, -len(c.mention), c.name))

    def modifiers_in(self, text: str) -> list[str]:
        """The modifiers in ``text`` ("职工的呢", "那登记的呢"), when nothing in it names a service."""
        found = [phrase for phrase, _ in self._phrases_in(text)]
        return [] if set(found) - self.modifiers else found

    def _modifiers_agree(self, found: list[tuple[str, float]]) -> bool:
        """True when two or more different modifiers are found and some service is meant by all of them."""
        phrases = {phrase for phrase, _ in found}
        return len(phrases) > 1 and bool(set.intersection(*(self.phrases[p] for p in phrases)))

    def _phrases_in(self, text: str) -> list[tuple[str, float]]:
        """Phrases in ``text``, dropping any that lies inside a longer phrase found at the same place."""
        spans: list[tuple[int, int, str]] = []
        for phrase in self.ordered:
            start = text.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not any(s <= start and end <= e for s, e, _ in spans):
                    spans.append((start, end, phrase))
                start = text.find(phrase, start + 1)
        return [(phrase, EXACT) for _, _, phrase in sorted(spans)]

    def _typos_beside(self, found: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
        """Homophones of phrases beside exact ones ("住远报销": 住院 beside 报销): they count like modifiers, for
        services the exact phrases name, and never where an exact phrase already sounds the same."""
        exact = {phrase for phrase, _ in found}
        sounds = {self.pinyin[phrase].strip() for phrase in exact}
        return [(phrase, score) for phrase, score in self._homophones_in(text)
                if phrase not in exact and not any(self.pinyin[phrase].strip() in s for s in sounds)]

    def _homophones_in(self, text: str) -> list[tuple[str, float]]:
        """Phrases whose pinyin occurs in the message's pinyin ("报消" sounds like 报销)."""
        sound = _syllables(text)
        found = [phrase for phrase in self.ordered if len(phrase) >= 2 and self.pinyin[phrase] in sound]
        kept = [p for p in found if not any(len(self.pinyin[q]) > len(self.pinyin[p]) and self.pinyin[p].strip() in
                                            self.pinyin[q] for q in found)]  # same-sounding phrases (报销, 报消) both stay
        return [(phrase, HOMOPHONE) for phrase in kept]

    def similarity(self, text: str) -> dict[str, float]:
        """Cosine similarity (character 2–3-grams, TF-IDF) of the message to each service's profile."""
        scores = linear_kernel(self.vectorizer.transform([text]), self.profiles)[0]
        return {name: float(score) for name, score in zip(self.names, scores)}

    def _by_similarity(self, similar: dict[str, float]) -> list[ServiceCandidate]:
        """When no phrase matched: the most similar services, scored below any phrase match."""
        ranked = sorted(similar.items(), key=lambda item: -item[1])[:5]
        return [ServiceCandidate(name, round(min(0.8, score * 2), 3), "") for name, score in ranked
                if score >= MIN_SIMILARITY]
