"""The custom actions on their own (as financial-demo tests its actions): a tracker in, the dispatched messages
and the events out, over the real knowledge base and the real linker."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer, ActionHandoff, ActionSessionStart
from bot.kb.store import KnowledgeBase
from bot.nlu.components import link_entities
from bot.nlu.linker import Linker
from bot.nlu.models import Models


@pytest.fixture(scope="module")
def linker(kb: KnowledgeBase, models: Models) -> Linker:
    return Linker(kb, models)


def tracker(text: str = "", linker: Linker | None = None, intent: str = "inform", entities: Any = None,
            **slots: Any) -> Tracker:
    """A tracker whose latest message is ``text`` with the linker's entities (or ``entities`` as given)."""
    found = link_entities(linker.link(text)) if linker and entities is None else entities or []
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": found, "metadata": {}}
    return Tracker("citizen", slots, message, [], False, None, {}, "action_listen")


def run_action(action: Action, dispatcher: CollectingDispatcher, state: Tracker) -> list[dict[str, Any]]:
    """The action's events, run as the action server runs it (on an event loop of its own thread, so that a
    loop another test left running in this one does not matter)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, action.run(dispatcher, state, {})).result()


def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The messages the action dispatched and the slots its events set."""
    dispatcher = CollectingDispatcher()
    events = run_action(action, dispatcher, state)
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_answer_sends_the_text_then_the_card_and_remembers_service_and_place(linker: Linker) -> None:
    messages, slots = run(ActionAnswer(), tracker("沙湾区住院报销打哪个电话", linker))
    text, data = messages
    assert "0833-3432615" in text["text"] and "来源：《乐山市医疗保障经办政务服务事项办事指南（2024年版）》" in text["text"]
    assert data["custom"]["yibao"]["service"] == "住院费用报销"
    assert data["custom"]["yibao"]["card"]["contact"]["consult"] == ["0833-3432615"]
    assert slots["service"] == "住院费用报销" and slots["region"] == "四川省/乐山市/沙湾区"
    assert slots["answer"]["sources"] == ["乐山市医疗保障经办政务服务事项办事指南（2024年版）"]


def test_a_follow_up_takes_the_remembered_service(linker: Linker) -> None:
    state = tracker("那峨眉山呢？", linker, service="住院费用报销", region="四川省/乐山市/沙湾区",
                    aspects=["phone"])
    messages, slots = run(ActionAnswer(), state)
    assert "0833-5546541" in messages[0]["text"] and "0833-3432615" not in messages[0]["text"]
    assert slots["region"] == "四川省/乐山市/峨眉山市"


def test_entities_typed_by_the_citizen_are_ignored() -> None:
    """Rasa's "/inform{"region": 5}" shortcut gives entities of any type; only the linker's count."""
    typed = [{"entity": "region", "value": 5}, {"entity": "choice", "value": "x"}]
    messages, slots = run(ActionAnswer(), tracker('/inform{"region": 5}', entities=typed))
    assert messages[0]["text"].strip()
    assert slots.get("region") is None and slots.get("service") is None


def test_handoff_gives_the_local_complaint_number_or_consult_number(linker: Linker) -> None:
    state = tracker("我要投诉", linker, intent="complain", service="住院费用报销", region="四川省/乐山市/沙湾区")
    messages, _ = run(ActionHandoff(), state)
    assert "0833-2128273" in messages[0]["text"]
    assert messages[1]["custom"]["yibao"]["handoff"] is True
    state = tracker("转人工", linker, intent="human_handoff", service="住院费用报销", region="四川省/乐山市/沙湾区")
    messages, _ = run(ActionHandoff(), state)
    assert "0833-3432615" in messages[0]["text"] and "12345" in messages[0]["text"]
    assert messages[1]["custom"]["yibao"]["phones"] == ["0833-3432615"]


def test_handoff_without_a_place_points_to_12345(linker: Linker) -> None:
    messages, _ = run(ActionHandoff(), tracker("转人工", linker, intent="handoff"))
    assert "12345" in messages[0]["text"]


@pytest.mark.parametrize("hint, path", [("乐山市/沙湾区", "四川省/乐山市/沙湾区"), ("符溪镇", "四川省/乐山市/峨眉山市")])
def test_session_start_keeps_the_slots_and_takes_the_channels_region(hint: str, path: str) -> None:
    state = tracker(service="住院费用报销", session_started_metadata={"region_hint": hint})
    events = run_action(ActionSessionStart(), CollectingDispatcher(), state)
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"service": "住院费用报销", "region_hint": path}
