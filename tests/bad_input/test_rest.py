"""Bad input on the REST channel: every odd text answered, every body it cannot take refused with a JSON 4xx."""
from __future__ import annotations

import json

import pytest

from bad_input.cases import NORMAL, NOT_AN_OBJECT, PHONE, Case, params
from bad_input.checks import Answer, assert_refused, assert_servers_up, send, send_json
from bot.channels.guarded import MAX_BODY
from bot.channels.senders import MAX_SENDER
from running import Assistant

PATH = "/webhooks/rest/webhook"


def text_of(answer: Answer) -> str:
    """The text of an answer: 200 with a JSON list of messages, one at least with text."""
    assert answer.status == 200 and answer.content_type.startswith("application/json"), answer
    messages = answer.json()
    assert isinstance(messages, list) and messages and all(isinstance(m, dict) for m in messages)
    text = "\n".join(m["text"] for m in messages if isinstance(m.get("text"), str))
    assert text.strip()
    return text


def say(assistant: Assistant, sender: str, text: str) -> str:
    return text_of(send_json(assistant.url("rasa", PATH), {"sender": sender, "message": text}))


def assert_still_answers(assistant: Assistant, sender: str = "rest-bad-next") -> None:
    assert PHONE in say(assistant, sender, NORMAL)


@pytest.mark.parametrize("case", params())
def test_odd_text_is_answered(assistant: Assistant, case: Case) -> None:
    sender = f"rest-bad-{case.id}"
    answer = say(assistant, sender, case.text)
    assert case.expect is None or case.expect in answer
    assert_still_answers(assistant, sender)


def body(**fields: object) -> bytes:
    return json.dumps({"sender": "rest-bad-body", "message": "你好"} | fields).encode()


@pytest.mark.parametrize("data", NOT_AN_OBJECT)
def test_body_that_is_no_json_object_is_refused(assistant: Assistant, data: bytes) -> None:
    assert_refused(send(assistant.url("rasa", PATH), data))
    assert_still_answers(assistant)


@pytest.mark.parametrize("data, content_type, status", [
    (b'{"sender": "s", "message": ', "application/json", 400),
    (b"{'sender': 's', 'message': 'hi'}", "application/json", 400),
    (b'{"sender": "s", "message": "hi",}', "application/json", 400),
    (b'[{"sender": "s", "message": "hi"}]', "application/json", 400),
    (b'{"sender": "s", "message": "\xff\xfe\xc3("}', "application/json", 400),
    (json.dumps({"sender": "s", "message": "沙湾区"}, ensure_ascii=False).encode("utf-16"), "application/json", 400),
    (json.dumps({"sender": "s", "message": "沙湾区"}, ensure_ascii=False).encode("gb18030"), "application/json", 400),
    (b"sender=s&message=hi", "application/x-www-form-urlencoded", 400),
    (b'--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--b--\r\n', "multipart/form-data; boundary=b",
     400),
    (b"<xml><sender>s</sender><message>hi</message></xml>", "application/xml", 400),
    (body(message="a" * (MAX_BODY + 1)), "application/json", 413),
], ids=["truncated", "single-quotes", "trailing-comma", "array", "invalid-utf8", "utf16", "gb18030", "form",
        "multipart", "xml", "oversized"])
def test_unusable_body_is_refused(assistant: Assistant, data: bytes, content_type: str, status: int) -> None:
    assert_refused(send(assistant.url("rasa", PATH), data, content_type), status)
    assert_still_answers(assistant)


@pytest.mark.parametrize("fields", [
    {"message": 42}, {"message": ["沙湾区"]}, {"message": None}, {"message": {"text": "hi"}}, {"message": True},
    {"sender": None}, {"sender": 42}, {"sender": ["s"]}, {"sender": ""}, {"sender": "s" * (MAX_SENDER + 1)},
    {"metadata": "x"}, {"metadata": [1]}, {"metadata": 5}, {"input_channel": ["wechat"]},
], ids=["message-number", "message-list", "message-null", "message-object", "message-bool", "sender-null",
        "sender-number", "sender-list", "sender-empty", "sender-too-long", "metadata-string", "metadata-list",
        "metadata-number", "input-channel-list"])
def test_body_of_the_wrong_shape_is_refused(assistant: Assistant, fields: dict) -> None:
    assert_refused(send(assistant.url("rasa", PATH), body(**fields)))
    assert_still_answers(assistant)


@pytest.mark.parametrize("missing", ["sender", "message"])
def test_body_without_a_field_is_refused(assistant: Assistant, missing: str) -> None:
    fields = json.loads(body())
    del fields[missing]
    assert_refused(send_json(assistant.url("rasa", PATH), fields))
    assert_still_answers(assistant)


@pytest.mark.parametrize("data, content_type", [
    (body(), "text/plain"), (body(), None), (body(), "application/xml"), (body(), "application/json; charset=gbk"),
    (body(extra=[1, 2], metadata=None), "application/json"),
    (body(metadata={"region": 5, "region_hint": ["x"]}), "application/json"),
    (body(metadata={"region": "<script>alert(1)</script>"}), "application/json"),
    (body(sender="'; DROP TABLE events; --"), "application/json"),
    (body(sender="<img src=x onerror=alert(1)>😀"), "application/json"),
    (body(sender="s" * MAX_SENDER), "application/json"),
    (json.dumps({"sender": "rest-bad-raw", "message": "沙湾区"}, ensure_ascii=False).encode(), "application/json"),
], ids=["text-plain", "no-content-type", "xml-content-type", "wrong-charset", "extra-fields", "odd-metadata",
        "markup-region", "sql-sender", "markup-sender", "longest-sender", "raw-utf8"])
def test_odd_but_usable_body_is_answered(assistant: Assistant, data: bytes, content_type: str | None) -> None:
    text_of(send(assistant.url("rasa", PATH), data, content_type))
    assert_still_answers(assistant)


def test_get_on_the_webhook_is_refused(assistant: Assistant) -> None:
    assert send(assistant.url("rasa", PATH), method="GET").status == 405
    assert_still_answers(assistant)


def test_servers_still_up(assistant: Assistant) -> None:
    assert_servers_up(assistant)
