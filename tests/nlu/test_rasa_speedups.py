"""Rasa's action-response validation, made cheap, still accepts and rejects what it did."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.nlu.components  # noqa: F401  (applies the speed-up, as loading the pipeline does)


def test_the_speed_up_is_in_place() -> None:
    assert RemoteAction._validate_action_result.__module__ == "bot.nlu.rasa_speedups"


def test_valid_responses_pass_and_invalid_ones_fail() -> None:
    action = RemoteAction("action_answer", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "region", "value": "x"}],
                                           "responses": [{"text": "好"}]})
    with pytest.raises(ValidationError, match="custom-actions"):
        action._validate_action_result({"events": "not a list"})
