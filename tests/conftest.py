"""Shared fixtures: the knowledge base built from the real sources, and the whole assistant running on loopback."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from bot import paths
from bot.kb.build import build
from bot.kb.store import KnowledgeBase
from bot.nlu.models import Models
from running import Assistant, start_assistant, stop_assistant


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(path)
    return path


@pytest.fixture(scope="session")
def kb(kb_path: Path) -> KnowledgeBase:
    return KnowledgeBase(kb_path)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """One running assistant shared by the channel tests of a session."""
    running = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield running
    stop_assistant(running)


@pytest.fixture(scope="session")
def models() -> Models:
    """The service and aspect models of the trained Rasa model (make setup trains it)."""
    return Models.from_rasa_model(paths.MODEL)
