"""Rasa's action-response validation, made cheap, still accepts and rejects what it did."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
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


def test_event_types_resolve_as_before() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    assert Event.resolve_by_type.__module__ == "bot.nlu.rasa_speedups"
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("no such event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")
    assert Event.from_parameters({"event": "slot", "name": "region", "value": "乐山市"}) == SlotSet("region", "乐山市")


@pytest.mark.parametrize(
    "response",
    [
        {"events": [{"event": "slot", "name": "region", "value": "乐山市", "timestamp": None}]},
        {"events": [{"event": "bot", "text": "好", "data": {"custom": {"yibao": {"card": {}}}}}]},
        {"events": [{"event": "slot", "name": 3}]},  # a slot's name must be a string
        {"events": [{"event": "no such event"}]},
        {"events": [{"event": "slot", "name": "x", "timestamp": "noon"}]},  # the common part: a number
        {"events": [{"name": "x"}]},  # no type at all
        {"events": ["not an event"]},
        {"events": [], "responses": [{"text": "好"}]},
        {"events": [{"event": "user", "text": "你好", "parse_data": {"intent": {"name": 1}}}]},
    ],
)
def test_each_event_checked_against_its_type_gives_the_full_schemas_verdict(response: dict) -> None:
    schema = RemoteAction.action_response_format_spec()
    expected = not list(validator_for(schema)(schema).iter_errors(response))
    action = RemoteAction("action_answer", None)
    if expected:
        assert action._validate_action_result(response)
    else:
        with pytest.raises(ValidationError):
            action._validate_action_result(response)
