"""The files of deploy/ as Rasa reads them (fast; the servers themselves are in test_scale_out.py)."""
from __future__ import annotations

import re

import pytest
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import read_endpoint_config

from bot import paths

DEPLOY = paths.ROOT / "deploy"
ENDPOINTS = DEPLOY / "endpoints.scaled.yml"
VARIABLES = sorted(set(re.findall(r"\$\{(\w+)\}", ENDPOINTS.read_text(encoding="utf-8"))))


def test_endpoints_take_every_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.setenv(name, f"5{len(name)}" if name.endswith("_PORT") else f"value-of-{name}")
    tracker = read_endpoint_config(str(ENDPOINTS), "tracker_store")
    locks = read_endpoint_config(str(ENDPOINTS), "lock_store")
    actions = read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    assert tracker.type == "bot.tracker_store.MaskingSQLTrackerStore" and tracker.kwargs["dialect"] == "postgresql"
    assert tracker.url == "value-of-YIBAO_PG_HOST" and tracker.kwargs["password"] == "value-of-YIBAO_PG_PASSWORD"
    assert locks.type == "redis" and locks.url == "value-of-YIBAO_REDIS_HOST"
    assert locks.kwargs["key_prefix"].isalnum()  # Rasa ignores a prefix that is not
    assert actions.url == "value-of-YIBAO_ACTION_URL"
    for config in (tracker, locks, actions):  # a quoted "${VAR}" would be left as it is
        assert "${" not in repr(config.url) + repr(config.kwargs)


def test_endpoints_refuse_to_start_without_a_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.setenv(name, "5")
    monkeypatch.delenv("YIBAO_PG_PASSWORD")
    with pytest.raises(RasaException, match="YIBAO_PG_PASSWORD"):
        read_endpoint_config(str(ENDPOINTS), "tracker_store")

