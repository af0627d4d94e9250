"""The manifest of source guides (knowledge/sources/manifest.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class GuideEntry:
    """One source document and how to read it."""

    key: str
    file: str
    layout: str
    title: str
    short: str
    issuer: str
    year: int | None
    scope: tuple[str, ...]
    kind: str = "guide"  # "guide" answers questions; "list" (a 事项清单) backs codes and conflicts
    compare_with: str | None = None
    keywords: tuple[str, ...] = ()  # words that name the guide's own way of service ("川渝通办")


def load_manifest(path: Path) -> list[GuideEntry]:
    """The manifest's entries, in file order; raises ValueError on a malformed entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: list[GuideEntry] = []
    for raw in data["guides"]:
        known = {k: raw[k] for k in ("key", "file", "layout", "title", "short", "issuer", "year")}
        entries.append(
            GuideEntry(
                **known,
                scope=tuple(raw["scope"]),
                kind=raw.get("kind", "guide"),
                compare_with=raw.get("compare_with"),
                keywords=tuple(raw.get("keywords") or ()),
            )
        )
    keys = [entry.key for entry in entries]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate guide keys in {path}")
    return entries
