"""One 事项 across guides: the guides name the same service differently, and a citizen means the 事项."""

from __future__ import annotations

from collections import Counter

from bot.kb.store import KnowledgeBase


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


def concept_of(names: dict[str, set[str]]) -> dict[str, str]:
    """Every name and alias of a 事项 → the 事项's concept name."""
    return {alias: name for name, group in names.items() for alias in group}
