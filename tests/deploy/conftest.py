"""The scale-out tests run only when asked for: YIBAO_SCALE_OUT=1 or `-m scale_out` (`make scale-test`)."""
from __future__ import annotations

import os
import sys

import pytest

from bot import paths

if str(paths.ROOT) not in sys.path:  # `deploy` is a folder of the project, not an installed package
    sys.path.insert(0, str(paths.ROOT))


def pytest_configure(config: pytest.Config) -> None:
    # Registered here rather than in pyproject.toml, whose every change makes `make` reinstall the venv.
    config.addinivalue_line("markers", "scale_out: Redis, PostgreSQL and two Rasa servers (deploy/); skipped "
                                       "unless YIBAO_SCALE_OUT=1 or -m scale_out (make scale-test)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("YIBAO_SCALE_OUT") == "1" or "scale_out" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="starts Redis, PostgreSQL and two Rasa servers: run `make scale-test`")
    for item in items:
        if "scale_out" in item.keywords:
            item.add_marker(skip)
