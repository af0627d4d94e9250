"""Topics citizens ask about that no guide holds (报销比例, 缴费标准, 定点名单…), from
``knowledge/uncovered.yml``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


class UncoveredTopics:
    """Finds the topic whose words occur first in a message ("养老保险退休金咋算的": 养老, not 待遇的算法)."""

    def __init__(self, path: Path) -> None:
        data = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
        self.patterns = {topic: re.compile(str(cue)) for topic, cue in (data.get("topics") or {}).items()}

    def find(self, text: str) -> str | None:
        """The topic ``text`` asks about, or None."""
        found = [
            (match.start(), at, topic)
            for at, (topic, pattern) in enumerate(self.patterns.items())
            if (match := pattern.search(text))
        ]
        return min(found)[2] if found else None

    def without(self, text: str) -> str:
        """``text`` without the words of any topic."""
        for pattern in self.patterns.values():
            text = pattern.sub("", text)
        return text
