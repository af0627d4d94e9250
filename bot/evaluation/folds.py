"""Folds for cross-validation over the labelled questions (nlu_data/questions/*.jsonl).

Questions written together resemble each other, so a set written by one hand stays in one fold: each of the
development sets (a few hundred questions each) is a group of its own, and the large training sets
(situations, short queries, contrasts, stories) are cut into chunks of about the same size, in file order.
"""

from __future__ import annotations

from typing import Any

CHUNK = 220  # questions per group of a large set


def groups(items: list[dict[str, Any]]) -> list[str]:
    """The group of each item: its set, or for a large set the set and its chunk."""
    sizes: dict[str, int] = {}
    for item in items:
        sizes[item["set"]] = sizes.get(item["set"], 0) + 1
    seen: dict[str, int] = {}
    found = []
    for item in items:
        name = item["set"]
        index = seen.get(name, 0)
        seen[name] = index + 1
        found.append(f"{name}:{index // CHUNK}" if sizes[name] > 2 * CHUNK else name)
    return found


def folds(items: list[dict[str, Any]], k: int) -> list[list[dict[str, Any]]]:
    """``k`` folds of whole groups, each new group into the fold with the fewest questions so far (largest
    groups first), so the folds come out about the same size; the same folds every time."""
    by_group: dict[str, list[dict[str, Any]]] = {}
    for item, group in zip(items, groups(items)):
        by_group.setdefault(group, []).append(item)
    result: list[list[dict[str, Any]]] = [[] for _ in range(k)]
    for group in sorted(by_group, key=lambda g: (-len(by_group[g]), g)):
        min(result, key=len).extend(by_group[group])
    return result
