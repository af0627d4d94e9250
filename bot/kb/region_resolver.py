"""Finding the region a question or a command-line argument names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.kb.regions import Region, short_forms
from bot.text.phrases import PhraseFinder
from bot.text.tokens import boundaries, is_place_or_unknown, is_word

_LEVEL_DEPTH = {"province": 0, "city": 1, "district": 2, "township": 3}
_SUFFIXES = "镇|乡|街道"  # of a township's name
_TOWNSHIP_SUFFIX = re.compile(f"(?:{_SUFFIXES})$")
_SUFFIX = re.compile(_SUFFIXES)
_LONGER_PLACE = re.compile(r"[洞村路街巷桥寺湖园]|广场|小区|社区|大道|大厦|医院")


def _says_place(stem: str, by_name: dict[str, list[str]]) -> bool:
    """Whether the name without 镇/乡/街道 ("苏稽", "研城") of a township no other township shares may stand
    for it: two characters or more, no name of another place ("沙湾" is 沙湾区), and no dictionary word
    other than a place's ("满月")."""
    others = by_name.get(stem, [])
    return len(stem) >= 2 and not others and is_place_or_unknown(stem)


@dataclass
class RegionMatch:
    """The region found, the words that named it, and the other places those words could mean."""

    path: str
    level: str
    mention: str
    candidates: list[str] = field(default_factory=list)
    ambiguous: bool = False


class RegionResolver:
    """Looks up regions by any of their names, in a short argument or inside a sentence."""

    def __init__(
        self, regions: Iterable[Region], preferred: Iterable[str] = (), covered: Iterable[str] = ()
    ) -> None:
        """``preferred``: path prefixes (the scopes of local guides) that win a tie between same-named places;
        ``covered``: the scopes of all guides, whose places' names are mended when typed by their sound."""
        self.regions = {region.path: region for region in regions}
        self.preferred = tuple(preferred)
        self.by_name: dict[str, list[str]] = {}
        for region in self.regions.values():
            for name in {region.label, region.name, *region.aliases}:
                self.by_name.setdefault(name, []).append(region.path)
        self._stems: set[str] = (
            set()
        )  # townships' names without 镇/乡/街道, found only where no word overlaps
        townships = [r for r in self.regions.values() if r.level == "township"]
        stems = Counter(_TOWNSHIP_SUFFIX.sub("", r.name) for r in townships)
        for region in townships:
            stem = _TOWNSHIP_SUFFIX.sub("", region.name)
            if (
                stems[stem] == 1
                and region.path.startswith(self.preferred)
                and _says_place(stem, self.by_name)
            ):
                self.by_name[stem] = [region.path]
                self._stems.add(stem)
        self._finder = PhraseFinder(self.by_name)

        def within(name: str, scopes: tuple[str, ...]) -> bool:
            return any(p == s or p.startswith(s + "/") for p in self.by_name[name] for s in scopes)

        # by any reading of their characters (犍: jian, qian): the full names of the covered 县/区/市, typed
        # with
        # their last character right ("建为县"), and any name of a local guide's place as a whole word
        # ("木川")
        self._full_sounds = PhraseFinder(
            [n for n in self.by_name if len(n) >= 3 and n[-1] in "县区市" and within(n, tuple(covered))],
            every_reading=True,
        )
        self._local_sounds = PhraseFinder(
            [n for n in self.by_name if within(n, self.preferred) and not self._townships_only(n)],
            every_reading=True,
        )

    def mend_typos(self, text: str) -> str:
        """The name of a place a guide covers typed with a wrong character of the same sound ("俄边县",
        "蛾眉山市", "建为县", "木川", "蕖县") spelt right. Mended only where the typed word shares a
        character with the name besides its last ("是去县" is no 石渠县), holds no name of a local guide's
        place ("我是渠县" is no 石渠县) and is no word of the
        dictionary ("经验" is no 井研)."""
        words = boundaries(text)
        if text.startswith("那"):  # "那建为呢": jieba joins a follow-up's 那 to the unknown word after it
            words |= {offset + 1 for offset in boundaries(text[1:])}
        local = [
            (start, end)
            for start, end, name in self._finder.find(text)
            if any(p.startswith(self.preferred) for p in self.by_name[name])
        ]
        found = [
            (s, e, n, text[e - 1] == n[-1] and bool(set(text[s : e - 1]) & set(n[:-1])))
            for s, e, n in self._full_sounds.sounding(text)
        ]
        found += [
            (s, e, n, s in words and e in words and bool(set(text[s:e]) & set(n)))
            for s, e, n in self._local_sounds.sounding(text)
        ]
        mended, reach = [], 0
        for start, end, name, placed in sorted(found):
            typed = text[start:end]
            if (
                placed
                and start >= reach
                and typed != name
                and not any(start <= s and e <= end for s, e in local)
                and not is_word(typed)
            ):
                mended.append(text[reach:start] + name)
                reach = end
        return "".join(mended) + text[reach:]

    def mentions(self, text: str) -> list[tuple[str, list[str]]]:
        """Place names in ``text``, each with the paths it may mean, in reading order.

        A name inside a longer one found does not count; one that overlaps an earlier one counts only where
        the two are one place named twice ("内江市中区" holds 内江市 and its 市中区; "峨眉山市" holds no
        眉山市, and "绵阳新成立的公司" no 阳新县).
        """
        found: list[tuple[int, int, str]] = []
        for start, end, name in self._finder.find(text):
            if name in self._stems and not self._stands_alone(text, start, end):
                continue
            earlier = [n for s, e, n in found if s < start < e]
            if all(self._nested(name, other) for other in earlier):
                found.append((start, end, name))
        return [(name, self.by_name[name]) for _, _, name in found]

    @staticmethod
    def _stands_alone(text: str, start: int, end: int) -> bool:
        """Whether a township's name without 镇/乡/街道 at ``text[start:end]`` names it: no word runs across
        either end ("法人和" holds no 人和) and no longer place's name goes on ("马踏洞" is no 马踏镇).
        Followed by another of 镇/乡/街道 it is the township's old name ("漹城镇", now 漹城街道), whatever
        word that makes."""
        right = "" if _SUFFIX.match(text, end) else text[end - 1 : end + 1]
        edges = [text[start - 1 : start + 1] if start else "", right]
        return not any(len(e) == 2 and is_word(e) for e in edges) and not _LONGER_PLACE.match(text, end)

    def _nested(self, name: str, other: str) -> bool:
        """True when a place ``name`` may mean lies inside one ``other`` may mean, or the other way round."""
        return any(
            p.startswith(q + "/") or q.startswith(p + "/")
            for p in self.by_name[name]
            for q in self.by_name[other]
        )

    def resolve(self, text: str) -> RegionMatch | None:
        """The most specific region named in ``text`` ("乐山市/峨边县", "峨边", "我在武汉市江汉区"); a
        township ("符溪镇") stands for its district, the level the guides answer for.

        Names narrow each other: a city named beside an ambiguous district name
        ("内江市中区") picks that city's district. Among equally specific places,
        one inside a preferred scope wins; the match stays ambiguous only when
        nothing singles one out, and then its candidates are the places that tie ("清溪镇": 犍为县, 宣汉县).
        """
        found = self.mentions(text)
        if not found:
            return None
        options: list[tuple[str, str, bool]] = []
        for mention, paths in dict(found).items():
            others = {p for other, ps in found if other != mention for p in ps}
            anchored = [p for p in paths if any(p.startswith(o + "/") for o in others)]
            options += [
                (mention, p, bool(anchored)) for p in anchored or self._most_prominent(mention, paths)
            ]

        def rank(option: tuple[str, str, bool]) -> tuple[int, bool, bool]:
            return (-self._depth(option[1]), not option[2], not option[1].startswith(self.preferred))

        options.sort(key=rank)
        mention, top, _ = options[0]
        tying = [o for o in options if rank(o) == rank(options[0])]
        same = [
            p
            for m, p, _ in (tying if len(tying) > 1 else options)
            if m == mention and self._depth(p) == self._depth(top)
        ]
        same = list(dict.fromkeys(map(self._answered_for, same)))
        top = self._answered_for(top)
        return RegionMatch(
            path=top,
            level=self.regions[top].level,
            mention=mention,
            candidates=same,
            ambiguous=len(same) > 1 and len(tying) > 1,
        )

    def _answered_for(self, path: str) -> str:
        """The district of a township; any other place itself."""
        region = self.regions[path]
        return region.parent if region.level == "township" and region.parent else path

    def _townships_only(self, name: str) -> bool:
        return all(self.regions[p].level == "township" for p in self.by_name[name])

    def _most_prominent(self, mention: str, paths: list[str]) -> list[str]:
        """Among places of one name at different levels, the higher ones: "海南" is 海南省, not 青海's 海南州,
        and "宜宾" is 宜宾市, not its 宜宾县; only a place's own full name ("宜宾县") means the lower one.
        A name a place has today beats another's former name ("江北": 江北区, not 渝北区, once 江北县)."""
        paths = [p for p in paths if not self._former_name_only(mention, p)] or paths
        full = [p for p in paths if self.regions[p].name == mention]
        if full:
            return full
        return [p for p in paths if not any(self._depth(q) < self._depth(p) for q in paths)]

    def _former_name_only(self, mention: str, path: str) -> bool:
        """True when ``mention`` names the place at ``path`` only by a name it had before."""
        region = self.regions[path]
        if mention == region.name or mention in short_forms(region.name):
            return False
        return any(mention == old or mention in short_forms(old) for old in region.former)

    def get(self, path: str) -> Region | None:
        return self.regions.get(path)

    def ancestors(self, path: str) -> list[str]:
        """``path`` and its ancestors, most specific first."""
        parts = path.split("/")
        return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]

    def _depth(self, path: str) -> int:
        return _LEVEL_DEPTH[self.regions[path].level]
