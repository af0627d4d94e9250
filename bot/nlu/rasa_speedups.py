"""Fixes for costs in Rasa 3.6 itself, applied when our pipeline is loaded (bot.nlu.components).

- After every custom action call, ``RemoteAction._validate_action_result`` runs ``jsonschema.validate``, which
  checks the response *schema* against the JSON-Schema meta-schema each time before validating the response:
  about 45 ms of CPU per message here, three quarters of the Rasa server's work (seen with cProfile). The same
  validation with a validator built once costs about a millisecond; errors read as before.
- ``Event.resolve_by_type`` walks the whole tree of ``Event`` subclasses for every event it deserialises (each
  tracker read from the SQL store, each action call): about 1.5 ms per message. Found classes are remembered;
  unknown names still take Rasa's own path (and its error).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event


@dataclass(frozen=True)
class _ResponseValidators:
    """The response schema's validator, the same without the check of each event, and one for each event
    type."""

    full: Validator
    outline: Validator
    events: dict[str, Validator]

    def validate(self, result: dict[str, Any]) -> None:
        self.outline.validate(result)
        events = result.get("events")
        for event in events if isinstance(events, list) else ():
            kind = event.get("event") if isinstance(event, dict) else None
            check = self.events.get(kind) if isinstance(kind, str) else None
            if check is None:
                self.full.validate(result)  # of no known type: the full check raises its error
            else:
                check.validate(event)


@lru_cache(maxsize=1)
def _response_validator() -> _ResponseValidators:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    item = schema["properties"]["events"]["items"]
    common = {key: value for key, value in item.items() if key != "oneOf"}
    events = {
        one["properties"]["event"]["const"]: validator_class({"allOf": [common, one]})
        for one in item["oneOf"]
    }
    outline = copy.deepcopy(schema)
    outline["properties"]["events"]["items"] = {"type": "object"}
    return _ResponseValidators(validator_class(schema), validator_class(outline), events)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


_resolve_event_type = Event.resolve_by_type
_event_types: dict[str, type[Event]] = {}


def _cached_resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _event_types.get(type_name)
    if found is None:
        found = _resolve_event_type(type_name, default)
        if found is not None and found is not default:
            _event_types[type_name] = found
    return found


def apply() -> None:
    """Make Rasa's remote actions validate responses with the cached validator, and event types resolve
    once."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_cached_resolve_by_type)
