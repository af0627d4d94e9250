"""Link a message to the knowledge base: which services, which place, what is asked."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot import paths
from bot.kb.lookup import guides_for
from bot.kb.region_resolver import RegionMatch
from bot.kb.store import KnowledgeBase
from bot.nlu.aspects import detect_aspects, refine, strip_cues
from bot.nlu.cues import insured_group, parse_choice, unstated, without_unstated
from bot.nlu.models import Models
from bot.nlu.service_model import NOT_SERVICES, OFF_TOPIC
from bot.nlu.services import Evidence, service_lexicon
from bot.nlu.uncovered import UncoveredTopics
from bot.text.normalise import han_count, normalise_text

# the city's own office, not its districts ("达州市医保中心"; not "峨眉山市医保局", a county-level city's)
_CITY_LEVEL = re.compile(
    r"市本级|市级|市(?:医保|医疗保障)(?:局|中心|事务中心|服务中心|经办中心|经办机构)|市里(?:的|面)?(?:医保|经办)"
    r"|市政务(?:服务)?(?:中心|大厅)"  # "在达州市政务服务中心办": where the city's own office sits
)
# "医保是泸州的", "医保在十堰", "户口医保都在乐山", "参保地在…": the place whose guide applies, whatever other
# places are named.
_INSURED_IN = re.compile(r"(?:医保|社保|参保地|参保)(?:关系)?(?:都|也|一直)?(?:是|在|属于|交在|买在)")
# "重庆的医保在成都看门诊", "重庆人在成都看门诊", "重庆单位派我常驻成都": where the asker is insured
_INSURED_AFTER = re.compile(
    r"(?:市|区|县)?(?:的)?(?:医保|社保|参保|人(?!民)|单位|公司|退休|职工|居民)"
    r"|参(?:加)?(?:城乡居民|城乡|居民|职工)?(?:医保|医疗保险|基本医疗保险)"  # "在重庆参城乡居民医保"
)
# "从重庆去成都上班 要开参保凭证", "单位派我从重庆去成都常驻": the place one moves from is where one is
# insured…
_MOVING = re.compile(r"(?:辞职|辞了职)?(?:调|去|到|搬|派|换)")
# …unless the message moves the insurance itself ("医保关系转过来", "转移接续": which end handles that is the
# service's matter, not the citizen's home)
_TRANSFER = re.compile(r"转|关系|接续")
# "我在乐山下面的县里头": some district of the city named, not which
_SOME_DISTRICT = re.compile(
    r"(?:下面|下边|底下|下头|下属)(?:的|那个|一个|哪个)?(?:县|区|区县|乡镇|镇|乡)|(?:县|区县)(?:里头|里面|上头)"
)
# "四川医保APP", "四川政务服务网": a way of service named after its province, not where one is insured
_CHANNEL_AFTER = re.compile(
    r"(?:医保|医疗保障局?)?\s*(?:APP|App|app|公共服务平台|服务平台|政务服务网|网上服务大厅|微信公众号|公众号|小程序)"
)
# "在重庆住的院，回来报销": the place of treatment, left again; the citizen may be insured elsewhere.
_CAME_BACK = re.compile(r"回来|回去|回家|回老家|回到")
# "在成都看门诊 能直接结算不": treated there, with the home guide's settlement away from home
_SETTLED_AWAY = re.compile(r"直接结算|刷卡|异地|跨省")
_TREATED_THERE = re.compile(
    r"(?:的|那边|那儿)?(?:住的院|住了院|住院|看病|看的病|看了病|就医|就的医|治病|看门诊|做手术|做的手术)"
)
_TRIP = re.compile(
    r"(?:耍|玩|旅游|旅行|出差|探亲|走亲戚|住几天|待几天|几天|看病|治病|治疗|就医|华西|大医院|养老|定居|安家)"
)
_HELD = {"materials", "time_limit", "phone", "place", "process", "channel"}  # what every guide answers
_PARTICLES = re.compile(r"[的呢吧啊嘛哦噻撒了吗么呀哈咯嘞]|我|想|问|下|一下|请问|你好|医保|那个")
_CORRECTION = re.compile(
    r"^(?:我|刚才)?(?:说|打|写|讲|搞)错了[，,]?"
)  # "我说错了，是峨眉": no 变更 of a record
_LETTERS = re.compile(r"[A-Za-z]{2,}")  # an abbreviation in pinyin initials ("zg" for 职工)
_AWAY = re.compile(r"备案|异地|跨省|外地|长期居住|长住|人在")  # living away from where one is insured


@dataclass(frozen=True)
class ServiceCandidate:
    """A service (its concept name), how probable it is, 0–1, and the evidence that put it there: the phrase
    that named it ("" when only the model saw it) and the evidence's kinds ("model", "phrase")."""

    name: str
    score: float
    mention: str = ""
    evidence: tuple[str, ...] = ("model",)


@dataclass(frozen=True)
class LinkerConfig:
    """The numbers that steer the linker (the component's config keys of the same names)."""

    tie_ratio: float = 0.85  # a runner-up with at least this share of the top probability ties with it
    confident: float = 0.5  # a service this probable replaces the one talked about, named by a phrase or not
    vague_confident: float = 0.8  # where the phrases name several services alike, the model must be this sure
    # …and where the message is nothing but those phrases ("变更登记 材料") or a word kinds of service share
    # ("查询要带啥"), this sure (its sureness there is mostly its prior for the words)
    names_only_sure: float = 0.9
    min_probability: float = 0.04  # candidates less probable are not offered
    min_guess: float = 0.3  # where no phrase names a service, the model's best must be this probable
    off_topic: float = 0.5  # a message no phrase ties to a service is about no 医保 matter this probably…
    off_topic_named: float = 0.75  # …and one a phrase does ("公积金能取出来不": 取出来 names 个人账户支取)
    max_candidates: int = 6


def tied(scores: list[float], ratio: float) -> int:
    """How many of the leading ``scores`` (best first) tie: one unless a runner-up comes within ``ratio`` of
    the best. The one predicate for ambiguity, in the linker and the dialogue alike."""
    if not scores:
        return 0
    return sum(1 for score in scores if score >= scores[0] * ratio)


@dataclass
class LinkResult:
    """What the linker found in one message."""

    text: str
    services: list[ServiceCandidate] = field(default_factory=list)
    region: RegionMatch | None = None
    aspects: list[str] = field(default_factory=list)
    choice: int | None = None
    city_level: bool = False
    some_district: bool = False  # "乐山下面的县": a district of the city named, not which
    group: str | None = None
    uncovered: str | None = None  # a topic no guide holds (报销比例, 缴费标准…)
    uncovered_aside: bool = False  # …beside a question the guides answer ("缴费年限不够…要带啥子")
    guide: str | None = None  # a guide the message names by its way of service ("川渝通办")
    off_topic: bool = False  # another office's matter, or none ("公积金提取要带啥"), as the model reads it
    visited: str | None = None  # "trip": a place the citizen goes to; "treated": was treated in and left
    unstated: tuple[str, ...] = ()  # what an operator's note says the caller left unsaid: "region", "service"
    elsewhere: str | None = None  # another province's place named beside it: where the citizen lives or is
    modifiers: list[str] = field(default_factory=list)  # "职工的呢": words that tell kinds of service apart…
    kinds: list[str] = field(default_factory=list)  # …and the services they tell apart
    tie_ratio: float = LinkerConfig.tie_ratio
    confident_at: float = LinkerConfig.confident

    @property
    def confident(self) -> bool:
        """True when the best candidate was named by a phrase, or is probable enough to stand on its own and
        the message holds more than modifiers (in a follow-up, a mere guess does not replace the service
        talked about, nor does "居民医保的", which says who asks)."""
        return bool(self.services) and (
            bool(self.services[0].mention)
            or (self.services[0].score >= self.confident_at and not self.modifiers)
        )

    @property
    def service(self) -> ServiceCandidate | None:
        """The one service meant, or None when none or several tie."""
        return self.services[0] if len(self.tied()) == 1 else None

    @property
    def service_ambiguous(self) -> bool:
        return len(self.tied()) > 1

    def tied(self) -> list[ServiceCandidate]:
        """The candidates that tie with the best one."""
        return self.services[: tied([c.score for c in self.services], self.tie_ratio)]


def _city_level(text: str, region: RegionMatch | None) -> bool:
    """True when ``text`` asks for a city's own office ("市本级", "达州市医保中心"), not a county-level city's
    ("峨眉山市医保局")."""
    district = region.mention if region and region.level == "district" else None
    return any(
        not (district and text[: found.start() + 1].endswith(district))
        for found in _CITY_LEVEL.finditer(text)
    )


def _visited(text: str, mention: str) -> str | None:
    """ "trip" for "去成都耍几天" (a trip there), "treated" for "在重庆住的院，回来报销" (treated there, come
    back); None for anywhere else."""
    at = text.find(mention)
    before, after = (text[at - 1] if at > 0 else ""), at + len(mention)
    if before in ("到", "去") and _TRIP.match(text, after):
        return "trip"
    away = _CAME_BACK.search(text) or _SETTLED_AWAY.search(text)
    return "treated" if before in ("在", "到", "去") and away and _TREATED_THERE.match(text, after) else None


class Linker:
    """Services, regions and aspects from one knowledge base, scored by the learned models."""

    def __init__(
        self, kb: KnowledgeBase, models: Models | None = None, config: LinkerConfig = LinkerConfig()
    ) -> None:
        """``models``: the trained service and aspect models; without them the lexicon's evidence alone ranks
        the services and the cue words give the aspects (for tests of the other parts)."""
        self.kb = kb
        self.lexicon = service_lexicon(kb)
        self.config = config
        self.uncovered = UncoveredTopics(paths.UNCOVERED_TOPICS)
        self.models = models

    def region(self, text: str) -> RegionMatch | None:
        """The place meant: where the citizen is insured when several places are named ("常年在昆明住，医保是
        泸州的", "重庆的医保在成都看门诊"), else the most specific place, preferring one a guide covers; not a
        place no guide covers that the citizen only lives in away from home ("办了跨省长期备案，人在上海")."""
        match = self._named_region(text)
        if match and _AWAY.search(text) and not guides_for(self.kb, match.path):
            return None
        if match and _visited(text, match.mention):  # "重庆转诊去成都华西": home is the other place named
            others = [
                self.kb.resolver.resolve(m) for m, _ in self.kb.resolver.mentions(text) if m != match.mention
            ]
            return next((o for o in others if o and guides_for(self.kb, o.path)), match)
        return match

    def _elsewhere(self, text: str, region: RegionMatch | None) -> str | None:
        """A place named beside ``region`` in another province ("重庆的退休职工…户口迁到成都了")."""
        if region is None:
            return None
        province = region.path.split("/")[0]
        for mention, _ in self.kb.resolver.mentions(text):
            other = self.kb.resolver.resolve(mention)
            if other and other.path.split("/")[0] != province:
                return other.path
        return None

    def _named_region(self, text: str) -> RegionMatch | None:
        resolver = self.kb.resolver
        match = resolver.resolve(text)
        if match is None or len(resolver.mentions(text)) == 1:
            return match
        # what follows each place named, at every place it is named ("重庆读大学 能在重庆参医保")
        named = [
            (mention, text[: found.start()], text[found.end() :])
            for mention, _ in resolver.mentions(text)
            for found in re.finditer(re.escape(mention), text)
        ]
        candidates = [
            resolver.resolve(mention)
            for mention, _, rest in named
            if _INSURED_AFTER.match(rest) and not _CHANNEL_AFTER.match(rest)
        ]
        insured = _INSURED_IN.search(text)
        candidates += [resolver.resolve(text[insured.end() : insured.end() + 12])] if insured else []
        candidates += [
            resolver.resolve(mention)
            for mention, before, rest in named
            if before.endswith("从") and _MOVING.match(rest) and not _TRANSFER.search(text)
        ]
        candidates += [match] + [resolver.resolve(mention) for mention, _ in resolver.mentions(text)]
        return next((m for m in candidates if m and guides_for(self.kb, m.path)), match)

    def rank_services(
        self, text: str, evidence: Evidence, ranking: list[tuple[str, float]] | None
    ) -> list[ServiceCandidate]:
        """The services the message may be about, most probable first: the service model's probabilities,
        weighed against the lexicon's evidence — a message a phrase names is about some service; where the
        phrases name several alike, the model must be sure to pick one, else they tie — or the evidence alone
        without a model; none when the message most probably names no service and no phrase names one."""
        if ranking is None:
            total = sum(evidence.support.values())
            ranking = sorted(
                ((name, weight / total) for name, weight in evidence.support.items()),
                key=lambda item: -item[1],
            )
        if evidence.named:  # a phrase names some service: which one is the question, not whether
            kept = [(name, p) for name, p in ranking if name not in NOT_SERVICES]
            total = sum(p for _, p in kept) or 1.0
            ranking = [(name, p / total) for name, p in kept]
        if (
            not ranking
            or ranking[0][0] in NOT_SERVICES
            or (
                not evidence.named
                and (ranking[0][1] < self.config.min_guess or self._only_names(text, evidence))
            )
        ):
            # about no service, too unsure a guess where no phrase names one, or only what is asked ("电话")
            return []
        ranking = [(name, p) for name, p in ranking if name not in NOT_SERVICES]
        top = ranking[0][1]
        vague, kinds = evidence.vague_family(), self._kinds(evidence.modifiers)
        # "变更登记要带啥": the phrases name several services alike, and the model is not sure which or the
        # message says nothing else that could tell them apart (where its sureness is its prior for the words)
        tie = len(vague) > 1 and (
            top < self.config.vague_confident
            or (top < self.config.names_only_sure and self._only_names(text, evidence))
        )
        # "查询要带啥", "想参保 咋个办": no phrase names a service, and the message is nothing but a word that
        # several kinds of service share
        by_kind = (
            not tie
            and not evidence.named
            and len(kinds) > 1
            and top < self.config.names_only_sure
            and self._only_names(text, evidence, evidence.modifiers)
        )
        tied_names = kinds if by_kind else vague if tie else set()
        if tied_names:
            order = {name: at for at, (name, _) in enumerate(ranking)}
            ranking = sorted(
                [(name, top if name in tied_names else p) for name, p in ranking],
                key=lambda item: (-item[1], order[item[0]]),
            )
        return [
            ServiceCandidate(
                name,
                round(p, 3),
                evidence.mention.get(name, ""),
                ("model", "kind")
                if by_kind and name in tied_names
                else ("model", "phrase", "vague")
                if name in vague and len(vague) > 1
                else ("model", "phrase")
                if name in evidence.mention
                else ("model",),
            )
            for name, p in ranking[: self.config.max_candidates]
            if p >= self.config.min_probability or name in vague or name in tied_names
        ]

    def _kinds(self, modifiers: list[str]) -> set[str]:
        """The services the words that tell kinds apart ("查询", "参保", "职工的") stand for."""
        return {name for word in modifiers for name in self.lexicon.phrases[word]}

    def _only_names(self, text: str, evidence: Evidence, words: Sequence[str] = ()) -> bool:
        """True when nothing is left of ``text`` but the phrases found (and ``words``), places, what is asked
        and particles ("变更登记 材料", "电话"); letters left say something more ("zg参保登记": 职工's
        initials)."""
        kept = "".join(
            char for at, char in enumerate(text) if not any(s <= at < e for s, e in evidence.spans)
        )
        for word in words:
            kept = kept.replace(word, "")
        for name, _ in self.kb.resolver.mentions(kept):
            kept = kept.replace(name, "")
        kept = _PARTICLES.sub("", strip_cues(kept))
        return han_count(kept) < 2 and not _LETTERS.search(kept)

    def link(self, raw: str) -> LinkResult:
        text = self.kb.resolver.mend_typos(_CORRECTION.sub("", normalise_text(raw)))
        unsaid = unstated(text)  # …and the words of what was not said name nothing ("未说明单位还是个人")
        text = without_unstated(text)
        region = self.region(text)
        evidence = self.lexicon.evidence(text)
        asking = without_unstated(normalise_text(raw, spaces_as_breaks=True))
        ranking, aspects = self.models.read(asking) if self.models else (None, detect_aspects(asking))
        guide = next((g for g in self.kb.guides.values() if any(k in text for k in g.keywords)), None)
        if guide:  # "川渝通办专窗在哪里": the way's name asks no channel, so the rest says what is asked
            names = sorted(guide.keywords, key=len, reverse=True)
            asking = functools.reduce(lambda rest, name: rest.replace(name, ""), names, asking)
            aspects = self.models.read(asking)[1] if self.models else detect_aspects(asking)
        top, probability = ranking[0] if ranking else ("", 0.0)
        named = self.config.off_topic_named if evidence.named else self.config.off_topic
        # "要几天", "在哪儿办": only what is asked, a follow-up, whatever the model makes of so few words
        off_topic = top == OFF_TOPIC and probability >= named and not self._only_names(text, evidence)
        services = [] if off_topic else self.rank_services(text, evidence, ranking)
        aspects = refine(aspects, asking)
        modifiers = [] if evidence.named else evidence.modifiers
        return LinkResult(
            text=text,
            services=services,
            region=region,
            visited=_visited(text, region.mention) if region else None,
            elsewhere=self._elsewhere(text, region),
            aspects=aspects,
            choice=parse_choice(text),
            city_level=_city_level(text, region),
            some_district=bool(_SOME_DISTRICT.search(text)),
            unstated=unsaid,
            group=insured_group(text),
            uncovered=self.uncovered.find(text),
            uncovered_aside=bool(_HELD & set(detect_aspects(self.uncovered.without(asking)))),
            modifiers=modifiers,
            guide=guide.key if guide else None,
            off_topic=off_topic,
            kinds=sorted(self._kinds(modifiers)),
            tie_ratio=self.config.tie_ratio,
            confident_at=self.config.confident,
        )
