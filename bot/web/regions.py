"""The hotline's region picker: every region of the knowledge base, searchable by name and by pinyin.

"swq" and "shawan" find 沙湾区, "峨眉" finds 峨眉山市. Places covered by a city guide (乐山市, 达州市 and
their districts: the ones with their own phone numbers) come first, then the places any guide covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from bot.dialogue.compose import place_name
from bot.kb.store import KnowledgeBase
from bot.text.normalise import normalise_text


def _initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def _spelled(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


@dataclass(frozen=True)
class RegionEntry:
    """One place of the picker, with the keys it is found by."""

    path: str
    label: str
    level: str
    local: bool
    covered: bool
    names: tuple[str, ...]
    initials: tuple[str, ...]
    spelled: tuple[str, ...]

    def rank(self, query: str) -> int | None:
        """How well ``query`` (lower case, no spaces) names this place: 0 best, None not at all."""
        if query in self.names:
            return 0
        if any(name.startswith(query) for name in self.names):
            return 1
        if any(key.startswith(query) for key in self.initials):
            return 2
        if any(key.startswith(query) for key in self.spelled):
            return 3
        if any(query in name for name in self.names) or query in self.path:
            return 4
        return None

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "name": self.label,
            "place": place_name(self.path),
            "level": self.level,
            "initials": self.initials[0],
            "local": self.local,
        }


class RegionIndex:
    """All regions of the knowledge base; ``search`` for the picker, ``resolve`` for a picked value."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.resolver = kb.resolver
        guides = kb.guides.values()
        self.entries: list[RegionEntry] = []
        for region in kb.regions:
            names = tuple(dict.fromkeys([region.label, region.name, *region.aliases]))
            covering = [g for g in guides if g.covers(region.path)]
            local = any(g.depth() > 0 for g in covering)
            self.entries.append(
                RegionEntry(
                    region.path,
                    region.label,
                    region.level,
                    local,
                    bool(covering),
                    names,
                    tuple(dict.fromkeys(map(_initials, names))),
                    tuple(dict.fromkeys(map(_spelled, names))),
                )
            )
        self.entries.sort(key=lambda e: (not e.local, not e.covered, e.path.count("/"), e.path))

    def search(self, query: str, limit: int) -> list[RegionEntry]:
        """The places ``query`` names (traditional or full-width alike), best first; with an empty query the
        places with local contacts."""
        query = "".join(normalise_text(query).split()).lower()
        if not query:
            return [e for e in self.entries if e.local][:limit]
        ranked = [(rank, e) for e in self.entries if (rank := e.rank(query)) is not None]
        return [e for _, e in sorted(ranked, key=lambda r: r[0])][
            :limit
        ]  # stable: equals keep the order above

    def resolve(self, value: str) -> str | None:
        """The region path a picked value (a path or any name, traditional or full-width alike) means, or
        None."""
        match = self.resolver.resolve(normalise_text(value))
        return match.path if match else None
