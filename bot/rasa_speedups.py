"""Fixes for costs in Rasa 3.6 itself, applied when our pipeline is loaded (bot.nlu.components).

- After every custom action call, ``RemoteAction._validate_action_result`` runs ``jsonschema.validate``, which
  checks the response *schema* against the JSON-Schema meta-schema each time before validating the response:
  about 45 ms of CPU per message here, three quarters of the Rasa server's work (seen with cProfile). The same
  validation with a validator built once costs about a millisecond; errors read as before.
- ``Event.resolve_by_type`` walks the whole tree of ``Event`` subclasses for every event it deserialises (each
  tracker read from the SQL store, each action call): about 1.5 ms per message. Found classes are remembered;
  unknown names still take Rasa's own path (and its error).
- ``MessageProcessor`` deep-copies a turn's events and parse data as arguments of its debug log lines, which
  are built whether or not debug logging is on: 5 % of the server. They are copied only when it is on.
- ``DaskGraphRunner.run`` hands the NLU and policy graphs (a dozen nodes, run twice or three times a turn) to
  dask's general scheduler: 7 % of the server outside the components themselves. The nodes are run in the
  dependency order computed once per set of targets, each with its parents' outputs as dask passed them.
- ``EndpointConfig.request`` opens a new HTTP session, and so a new TCP connection, for every action call: a
  fifth of a call's cost, on both servers. Each endpoint keeps one session per event loop, whose idle
  connections close before the action server's keep-alive of 5 s ends.
- ``FailSafeTrackerStore`` and ``AwaitableTrackerStore``, the wrappers Rasa puts around the configured
  store, build a new conversation's tracker themselves instead of asking the store they wrap, so it cannot
  mark the tracker as one with nothing stored yet (bot.tracker_store then counts the stored events with a
  query: 5 % of the server when a conversation lasts three messages). They ask the store they wrap.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import aiohttp
import rasa.core.processor
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

KEEP_ALIVE = 3.0  # seconds an idle connection to the action server is kept (Sanic's own keep-alive: 5 s)


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


def _copy_for_debug_log(value: Any) -> Any:
    """What rasa.core.processor's debug log lines are given: a deep copy where they are written, else the
    value itself (they are dropped unread)."""
    if logging.getLogger(rasa.core.processor.__name__).isEnabledFor(logging.DEBUG):
        return copy.deepcopy(value)
    return value


_dask_run = DaskGraphRunner.run


def _order(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[str]:
    """The nodes the targets need, each after the nodes it needs (remembered per runner and targets)."""
    orders: dict[tuple[str, ...], list[str]] = runner.__dict__.setdefault("_yibao_orders", {})
    if targets not in orders:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: list[str] = []

        def visit(name: str) -> None:
            if name in nodes and name not in order:
                for need in nodes[name].needs.values():
                    visit(need)
                order.append(name)

        for target in targets:
            visit(target)
        orders[targets] = order
    return orders[targets]


def _run_graph(
    self: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: Iterable[str] | None = None
) -> dict[str, Any]:
    run_targets = tuple(targets) if targets else tuple(self._graph_schema.target_names)
    results: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
    nodes = self._graph_schema.nodes
    try:
        for name in (name for name in _order(self, run_targets) if name not in results):  # an input wins
            needs = nodes[name].needs.values()  # a need no node provides is passed by its name, as dask does
            results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)  # each node gives (its name, its output)


class _KeptSession:
    """An endpoint's session for ``async with``, left open at its end for the next request."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _kept_session(self: EndpointConfig) -> _KeptSession:
    """The endpoint's session on this event loop, made as Rasa makes it (headers, basic auth, timeout)."""
    loop = asyncio.get_running_loop()
    kept = self.__dict__.get("_yibao_session")
    if kept is None or kept[0] is not loop or kept[1].closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE),
        )
        kept = self.__dict__["_yibao_session"] = (loop, session)
    return _KeptSession(kept[1])


def _init_tracker_of_wrapped(
    self: FailSafeTrackerStore | AwaitableTrackerStore, sender_id: str
) -> DialogueStateTracker:
    """A new tracker as the wrapped store makes it."""
    return self._tracker_store.init_tracker(sender_id)


def apply() -> None:
    """Put the speed-ups above in place of Rasa's own code."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_cached_resolve_by_type)
    rasa.core.processor.copy = SimpleNamespace(deepcopy=_copy_for_debug_log)
    DaskGraphRunner.run = _run_graph
    EndpointConfig.session = _kept_session
    FailSafeTrackerStore.init_tracker = AwaitableTrackerStore.init_tracker = _init_tracker_of_wrapped
