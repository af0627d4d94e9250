"""The custom actions on their own (as financial-demo tests its actions): a tracker in, the dispatched messages
and the events out, over the real knowledge base and the real linker."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer, ActionFeedback, ActionHandoff, ActionSessionStart
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
    assert "service" not in slots and "aspects" not in slots  # unchanged: no event to store


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
    assert messages[1]["custom"]["yibao"]["handoff"] is False
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


ANSWER = {"service": "住院费用报销", "region": "四川省/乐山市/沙湾区", "clarify": False, "sources": ["乐山市指南"]}


def feedback_tracker(text: str, intent: str, entities: Any = None, **slots: Any) -> Tracker:
    """A tracker after an answer to 沙湾区住院报销打哪个电话, its latest message ``text``."""
    events = [{"event": "user", "text": "沙湾区住院报销打哪个电话", "parse_data": {"intent": {"name": "ask_phone"}}},
              {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}]
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or [],
               "metadata": {}}
    return Tracker("citizen", {"answer": ANSWER} | slots, message, events, False, None, {}, "action_listen")


def test_a_complaint_about_the_answer_is_kept_and_the_second_in_a_row_hands_over() -> None:
    messages, slots = run(ActionFeedback(), feedback_tracker("答非所问", "feedback_negative"))
    kept = slots["feedback"]
    assert "没有帮到您" in messages[0]["text"] and messages[1]["custom"]["yibao"].get("handoff") is None
    assert (kept["rating"], kept["question"], kept["in_a_row"], kept["answer"]["service"]) == (
        "down", "沙湾区住院报销打哪个电话", 1, "住院费用报销")
    messages, slots = run(ActionFeedback(), feedback_tracker("你说错了", "feedback_negative", feedback=kept))
    assert messages[1]["custom"]["yibao"]["handoff"] is True and "0833-3432615" in messages[0]["text"]
    assert slots["feedback"]["in_a_row"] == 2 and slots["feedback"]["handoff"] is True


def test_a_bare_no_after_an_answer_is_feedback_and_after_an_ask_back_is_not(linker: Linker) -> None:
    _, slots = run(ActionAnswer(), feedback_tracker("不对", "deny"))
    assert slots["feedback"]["rating"] == "down"
    asked_back = feedback_tracker("不对", "deny", answer=ANSWER | {"clarify": True, "service": None})
    assert "feedback" not in run(ActionAnswer(), asked_back)[1]
    fee = [{"entity": "aspect", "value": "fee", "extractor": "KnowledgeBaseLinker"}]  # 不 ends a question
    messages, slots = run(ActionAnswer(), feedback_tracker("收钱不", "deny", fee, service="住院费用报销"))
    assert "feedback" not in slots and "收费" in messages[0]["text"]


def test_a_reason_completes_the_thumbs_down_and_a_shortcut_carries_a_correction() -> None:
    down = run(ActionFeedback(), feedback_tracker("/feedback_negative", "feedback_negative"))[1]["feedback"]
    reason = [{"entity": "reason", "value": "电话不对"}]
    amended = run(ActionFeedback(), feedback_tracker("/feedback_reason", "feedback_reason", reason,
                                                     feedback=down))[1]["feedback"]
    assert (amended["reason"], amended["amends"], amended["in_a_row"]) == ("电话不对", True, 1)
    label = [{"entity": "service", "value": "异地长期居住人员备案"}, {"entity": "region", "value": "峨眉山市"}]
    corrected = run(ActionFeedback(), feedback_tracker("/feedback_negative", "feedback_negative", label))[1]
    assert corrected["feedback"]["label"] == {"service": "异地长期居住人员备案", "region": "四川省/乐山市/峨眉山市"}
    made_up = [{"entity": "service", "value": "没有的事项"}]
    assert run(ActionFeedback(), feedback_tracker("/x", "feedback_negative", made_up))[1]["feedback"]["label"] is None


def test_thanks_before_any_answer_asks_what_is_wanted_and_keeps_nothing() -> None:
    messages, slots = run(ActionFeedback(), feedback_tracker("谢谢", "thanks", answer=None))
    assert "请问您要办理什么医保业务" in messages[0]["text"] and messages[1]["custom"]["yibao"]["clarify"] is True
    assert slots == {}
