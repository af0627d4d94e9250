"""A knowledge base built once per test session from the real sources, in a temporary file."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.build import build
from bot.kb.store import KnowledgeBase


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(path)
    return path


@pytest.fixture(scope="session")
def kb(kb_path: Path) -> KnowledgeBase:
    return KnowledgeBase(kb_path)
