"""The REST channel of the running assistant: text answer plus the answer as data, and follow-ups."""
from __future__ import annotations

from running import Assistant, post_json


def ask(assistant: Assistant, sender: str, text: str) -> tuple[str, dict]:
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": sender, "message": text})
    text = "\n".join(m["text"] for m in messages if m.get("text"))
    data = next(m["custom"]["yibao"] for m in messages if "custom" in m)
    return text, data


def test_district_phone_then_follow_up_keeps_service(assistant: Assistant) -> None:
    text, data = ask(assistant, "rest-1", "沙湾区的，住院报销打哪个电话")
    assert "0833-3432615" in text and "来源：《乐山市" in text
    assert data["service"] == "住院费用报销" and data["region"] == "四川省/乐山市/沙湾区"
    assert data["card"]["contact"]["consult"] == ["0833-3432615"]
    assert data["candidates"][0]["name"] == "住院费用报销"
    text, data = ask(assistant, "rest-1", "那峨眉山呢？")
    assert "0833-5546541" in text and "0833-3432615" not in text
    assert data["region"] == "四川省/乐山市/峨眉山市"


def test_clarification_comes_with_buttons(assistant: Assistant) -> None:
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": "rest-2", "message": "备案"})
    asked = next(m for m in messages if m.get("text"))
    assert len(asked["buttons"]) >= 2
    assert next(m["custom"]["yibao"] for m in messages if "custom" in m)["clarify"] is True


def test_region_picked_by_the_channel_applies_to_the_message(assistant: Assistant) -> None:
    body = {"sender": "rest-3", "message": "住院报销打哪个电话", "metadata": {"region": "峨眉山市"}}
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), body)
    assert "0833-5546541" in "\n".join(m["text"] for m in messages if m.get("text"))
