"""The REST channel of the running assistant: text answer plus the answer as data, follow-ups, and each
channel's own conversations."""
from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.channels.hotline import TOKEN_HEADER
from running import Assistant, post_json
from wechat_client import say


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


def test_each_channel_keeps_its_own_conversations(assistant: Assistant) -> None:
    """A REST client that sends a WeChat OpenID as its sender gets a conversation of its own: it neither
    continues nor sees the WeChat citizen's (their place is not carried over)."""
    assert "0833-3432615" in say(assistant, "o-wx-shared", "沙湾区的，住院报销打哪个电话")
    reply, data = ask(assistant, "o-wx-shared", "住院报销打哪个电话")
    assert "0833-3432615" not in reply and data["region"] is None
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": "o-wx-shared", "message": "你好"})
    assert {m["recipient_id"] for m in messages} == {"o-wx-shared"}  # the client's own id comes back
    with sqlite3.connect(assistant.state_dir / "tracker.db") as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE ?",
                                                ("%o-wx-shared",))}
    assert senders == {"wechat:o-wx-shared", "rest:o-wx-shared"}


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: "not-the-token"}], ids=["no token", "wrong token"])
def test_the_hotline_channel_refuses_callers_without_its_token(assistant: Assistant, headers: dict) -> None:
    body = json.dumps({"sender": "c1", "message": "沙湾区住院报销打哪个电话"}).encode()
    request = urllib.request.Request(assistant.url("rasa", "/webhooks/hotline/webhook"), body,
                                     {"Content-Type": "application/json"} | headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403 and "error" in json.loads(refused.value.read())


def test_the_action_server_listens_on_loopback_only(assistant: Assistant) -> None:
    """Only Rasa calls the action server, which has no authentication: it is not reachable from outside."""
    port = int(assistant.env["YIBAO_ACTION_PORT"])
    listening = [line.split()[1] for name in ("/proc/net/tcp", "/proc/net/tcp6")
                 for line in Path(name).read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].rsplit(":", 1)[1], 16) == port]
    assert listening and all(address.split(":")[0] in ("0100007F", "00000000000000000000000001000000")
                             for address in listening), listening
