"""Rasa's costs cut (bot.rasa_speedups): each speed-up in place, and each gives what Rasa's own code gives."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

import bot.nlu.components  # noqa: F401  (applies the speed-up, as loading the pipeline does)


def test_the_speed_ups_are_in_place() -> None:
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.utils.endpoints import EndpointConfig

    assert RemoteAction._validate_action_result.__module__ == "bot.rasa_speedups"
    assert DaskGraphRunner.run.__module__ == EndpointConfig.session.__module__ == "bot.rasa_speedups"


def test_valid_responses_pass_and_invalid_ones_fail() -> None:
    action = RemoteAction("action_answer", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "region", "value": "x"}],
                                           "responses": [{"text": "好"}]})
    with pytest.raises(ValidationError, match="custom-actions"):
        action._validate_action_result({"events": "not a list"})


def test_event_types_resolve_as_before() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    assert Event.resolve_by_type.__module__ == "bot.rasa_speedups"
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


def test_debug_log_arguments_are_copied_only_when_debug_logging_is_on() -> None:
    import logging

    import rasa.core.processor

    events = [{"event": "slot", "name": "region", "value": "乐山市"}]
    logger = logging.getLogger(rasa.core.processor.__name__)
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert rasa.core.processor.copy.deepcopy(events) is events
        logger.setLevel(logging.DEBUG)
        copied = rasa.core.processor.copy.deepcopy(events)
        assert copied == events and copied is not events and copied[0] is not events[0]
    finally:
        logger.setLevel(level)


def test_the_graphs_run_in_order_give_what_dask_gives() -> None:
    """The trained model's NLU and policy graphs, run both ways on the same message and tracker."""
    import asyncio

    import gc

    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.events import UserUttered

    from bot import paths
    from bot import rasa_speedups

    agent = Agent.load(str(paths.MODEL))
    processor = agent.processor
    assert processor is not None
    assert gc.get_freeze_count() > 100_000  # the loaded model is out of the collector's sight (bot.heap)
    runner = processor.graph_runner
    tracker = asyncio.run(processor.fetch_tracker_and_update_session("speedups"))
    inputs = {PLACEHOLDER_MESSAGE: [UserMessage("乐山生育津贴要啥子材料")], PLACEHOLDER_TRACKER: tracker}
    nlu = [processor.model_metadata.nlu_target]
    ours, theirs = runner.run(inputs, nlu), rasa_speedups._dask_run(runner, inputs, nlu)
    assert list(ours) == list(theirs) == nlu
    assert ours[nlu[0]][0].as_dict() == theirs[nlu[0]][0].as_dict()
    assert ours[nlu[0]][0].get("intent")["name"]  # it was understood, not passed through

    tracker.update(UserUttered("乐山生育津贴要啥子材料", ours[nlu[0]][0].get("intent")))
    core = [processor.model_metadata.core_target]
    ours, theirs = runner.run({PLACEHOLDER_TRACKER: tracker}, core), rasa_speedups._dask_run(
        runner, {PLACEHOLDER_TRACKER: tracker}, core
    )
    assert ours[core[0]].probabilities == theirs[core[0]].probabilities
    assert ours[core[0]].policy_name == theirs[core[0]].policy_name


def test_an_endpoint_keeps_its_connection_between_requests() -> None:
    """Real HTTP on loopback: two requests to the same endpoint arrive over one connection."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    peers: list[tuple[str, int]] = []

    async def handle(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"echo": await request.json()})

    async def main() -> tuple[list, bool]:
        app = web.Application()
        app.router.add_post("/webhook", handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
        async with endpoint.session() as session:
            still_open = not session.closed
            await session.close()
        answers.append(await endpoint.request(json={"n": 3}, method="post"))  # a closed session is replaced
        async with endpoint.session() as session:
            await session.close()
        await runner.cleanup()
        return answers, still_open

    answers, still_open = asyncio.run(main())
    assert answers == [{"echo": {"n": n}} for n in range(4)]
    assert still_open and len(peers) == 4 and len(set(peers[:3])) == 1 and peers[3] != peers[0]
