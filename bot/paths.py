"""Where the project keeps its files; each can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SOURCES = KNOWLEDGE / "sources"
MANIFEST = SOURCES / "manifest.yml"
REGIONS_CONFIG = KNOWLEDGE / "regions.yml"
OVERRIDES = KNOWLEDGE / "overrides.yml"
KB_PATH = Path(os.environ.get("YIBAO_KB", KNOWLEDGE / "build" / "kb.sqlite"))
SERVICE_ALIASES = KNOWLEDGE / "service_aliases.yml"
UNCOVERED_TOPICS = KNOWLEDGE / "uncovered.yml"
MODEL = Path(os.environ.get("YIBAO_MODEL", ROOT / "models" / "yibao.tar.gz"))
