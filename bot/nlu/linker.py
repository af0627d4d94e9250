"""Link a message to the knowledge base: which services, which place, what is asked."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import product

from pypinyin import Style, lazy_pinyin, pinyin

from bot import paths
from bot.kb.lookup import guides_for
from bot.kb.region_resolver import RegionMatch
from bot.kb.store import KnowledgeBase
from bot.nlu.aspects import detect_aspects, strip_cues
from bot.nlu.normalise import normalise_text
from bot.nlu.services import TIE_MARGIN, ServiceCandidate, ServiceLinker, load_aliases
from bot.nlu.uncovered import UncoveredTopics

_CHINESE_NUMBERS = "一二三四五六七八九"
_CITY_LEVEL = re.compile(r"市本级|市级|市医保局|市医疗保障局|市里(?:的|面)?(?:医保|经办)")  # the city's own office, not its districts
# "医保是泸州的", "医保在十堰", "参保地在…": the place whose guide applies, whatever other places are named.
_INSURED_IN = re.compile(r"(?:医保|社保|参保地|参保)(?:关系)?(?:是|在|属于|交在|买在)")
# Which group of insured the asker belongs to, when a guide gives numbers per group.
_GROUPS = {"居民": re.compile(r"居民|城乡医保|新农合|农村医保"), "职工": re.compile(r"职工|在职|单位上班|上班族")}
_INSURED_AFTER = re.compile(r"(?:市|区|县)?(?:的)?(?:医保|社保|参保)")  # "重庆的医保在成都看门诊"
# "在重庆住的院，回来报销": the place of treatment, left again; the citizen may be insured elsewhere.
_CAME_BACK = re.compile(r"回来|回去|回家|回老家|回到")
_TREATED_THERE = re.compile(r"(?:的|那边|那儿)?(?:住的院|住了院|住院|看病|看的病|看了病|就医|就的医|治病|看门诊|做手术|做的手术)")
_TRIP = re.compile(r"(?:耍|玩|旅游|旅行|出差|探亲|走亲戚|住几天|待几天|几天|看病|治病|治疗|就医|华西|大医院|养老|定居|安家)")
_PLACE_ENDS = "县区市"
_CORRECTION = re.compile(r"^(?:我|刚才)?(?:说|打|写|讲|搞)错了[，,]?")  # "我说错了，是峨眉": no 变更 of a record
_AWAY = re.compile(r"备案|异地|跨省|外地|长期居住|长住|人在")  # living away from where one is insured
_CHOICE = re.compile(rf"^(?:选|要|第)?\s*([1-9]|[{_CHINESE_NUMBERS}])\s*(?:个|项|号|条)?(?:吧|嘛|呢)?[。.!！]?$")


@dataclass
class LinkResult:
    """What the linker found in one message."""

    text: str
    services: list[ServiceCandidate] = field(default_factory=list)
    region: RegionMatch | None = None
    aspects: list[str] = field(default_factory=list)
    choice: int | None = None
    city_level: bool = False
    group: str | None = None
    uncovered: str | None = None  # a topic no guide holds (报销比例, 缴费标准…)
    visited: bool = False  # the place is one the citizen goes to or was treated in, not home
    modifiers: list[str] = field(default_factory=list)  # "职工的呢": words that tell kinds of service apart…
    kinds: list[str] = field(default_factory=list)  # …and the services they tell apart

    @property
    def service(self) -> ServiceCandidate | None:
        """The one service meant, or None when none or several tie."""
        if not self.services or self.service_ambiguous:
            return None
        return self.services[0]

    @property
    def service_ambiguous(self) -> bool:
        return len(self.services) > 1 and self.services[0].score - self.services[1].score < TIE_MARGIN

    def tied(self) -> list[ServiceCandidate]:
        """The candidates within the tie margin of the best one."""
        return [c for c in self.services if self.services[0].score - c.score < TIE_MARGIN]


def _readings(char: str) -> list[str]:
    """Every reading of a character (犍: jian, qian), as people may type the place by either."""
    return pinyin(char, style=Style.NORMAL, heteronym=True)[0]


def _visited(text: str, mention: str) -> bool:
    """True for "在重庆住的院，回来报销" (treated there, come back) and "去成都耍几天" (a trip there)."""
    at = text.find(mention)
    before, after = (text[at - 1] if at > 0 else ""), at + len(mention)
    treated = before in ("在", "到", "去") and _CAME_BACK.search(text) and _TREATED_THERE.match(text, after)
    return bool(treated or (before in ("到", "去") and _TRIP.match(text, after)))


def parse_choice(text: str) -> int | None:
    """"2", "第二个", "选2" → 2 (1-based); None for anything else."""
    match = _CHOICE.match(text.strip())
    if not match:
        return None
    token = match.group(1)
    return int(token) if token.isdigit() else _CHINESE_NUMBERS.index(token) + 1


def insured_group(text: str) -> str | None:
    """"居民" or "职工" when the message says which (and not both)."""
    found = [group for group, pattern in _GROUPS.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def concepts(kb: KnowledgeBase) -> dict[str, set[str]]:
    """One entry per 事项, however many guides name it and however differently: the name most guides use
    (ties: the shorter) → every other name and alias of it."""
    groups: list[set[str]] = []
    for service in kb.services.values():
        names = {service.name, *service.aliases}
        touching = [g for g in groups if g & names]
        merged = names.union(*touching)
        groups = [g for g in groups if not g & names] + [merged]
    uses = Counter(service.name for service in kb.services.values())
    return {min(group, key=lambda n: (-uses[n], len(n), n)): group for group in groups}


def descriptions(kb: KnowledgeBase, names: dict[str, set[str]]) -> dict[str, str]:
    """Each service's 服务对象 and 备注 as the guides word them, for the similarity fallback."""
    owner = {alias: name for name, group in names.items() for alias in group}
    texts: dict[str, list[str]] = {}
    for row in kb.rows("select s.name, f.text from fields f join services s on s.id = f.service_id "
                       "where f.key in ('target', 'remarks', 'conditions')"):
        texts.setdefault(owner.get(row["name"], row["name"]), []).append(row["text"])
    return {name: " ".join(parts) for name, parts in texts.items()}


class Linker:
    """Services, regions and aspects from one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        names = concepts(kb)
        self.services = ServiceLinker(names, load_aliases(paths.SERVICE_ALIASES), descriptions(kb, names),
                                      load_aliases(paths.SERVICE_ALIASES, "modifiers"),
                                      load_aliases(paths.SERVICE_ALIASES, "specialises"))
        self.uncovered = UncoveredTopics(paths.UNCOVERED_TOPICS)
        self._place_sounds = {sound: name for name in kb.resolver.by_name if name[-1] in _PLACE_ENDS
                              and 3 <= len(name) <= 6 for sound in product(*map(_readings, name))}

    def region(self, text: str) -> RegionMatch | None:
        """The place meant: where the citizen is insured when several places are named ("常年在昆明住，医保是
        泸州的", "重庆的医保在成都看门诊"), else the most specific place, preferring one a guide covers; not a
        place no guide covers that the citizen only lives in away from home ("办了跨省长期备案，人在上海")."""
        match = self._named_region(text)
        if match and _AWAY.search(text) and not guides_for(self.kb, match.path):
            return None
        if match and _visited(text, match.mention):  # "重庆转诊去成都华西": home is the other place named
            others = [self.kb.resolver.resolve(m) for m, _ in self.kb.resolver.mentions(text) if m != match.mention]
            return next((o for o in others if o and guides_for(self.kb, o.path)), match)
        return match

    def mend_place_typos(self, text: str) -> str:
        """A 县/区/市 name typed with a wrong character of the same sound ("俄边县", "蛾眉山市", "宣汗县") spelt right."""
        sounds = lazy_pinyin(text, errors=lambda chars: list(chars))  # one syllable per character
        if len(sounds) != len(text):
            return text
        for end, char in enumerate(text):
            if char not in _PLACE_ENDS:
                continue
            for start in range(max(0, end - 5), end - 1):
                typed, name = text[start:end + 1], self._place_sounds.get(tuple(sounds[start:end + 1]))
                if name and typed != name and typed not in self.kb.resolver.by_name:
                    return self.mend_place_typos(text[:start] + name + text[end + 1:])
        return text

    def _named_region(self, text: str) -> RegionMatch | None:
        resolver = self.kb.resolver
        match = resolver.resolve(text)
        if match is None or len(resolver.mentions(text)) == 1:
            return match
        candidates = [resolver.resolve(mention) for mention, _ in resolver.mentions(text)
                      if _INSURED_AFTER.match(text[text.find(mention) + len(mention):])]
        insured = _INSURED_IN.search(text)
        candidates += [resolver.resolve(text[insured.end():insured.end() + 12])] if insured else []
        candidates += [match] + [resolver.resolve(mention) for mention, _ in resolver.mentions(text)]
        return next((m for m in candidates if m and guides_for(self.kb, m.path)), match)

    def link(self, raw: str) -> LinkResult:
        text = self.mend_place_typos(_CORRECTION.sub("", normalise_text(raw)))
        about = strip_cues(self.kb.resolver.strip(text))  # what the message is about, for the similarity fallback
        region = self.region(text)
        services = self.services.link(text, about)
        modifiers = [] if any(candidate.mention for candidate in services) else self.services.modifiers_in(text)
        return LinkResult(text=text, services=services, region=region,
                          visited=bool(region and _visited(text, region.mention)),
                          aspects=detect_aspects(normalise_text(raw, spaces_as_breaks=True)), choice=parse_choice(text),
                          city_level=bool(_CITY_LEVEL.search(text)), group=insured_group(text),
                          uncovered=self.uncovered.find(text),
                          modifiers=modifiers,
                          kinds=sorted({name for word in modifiers for name in self.services.phrases[word]}))
