"""Bad input on the hotline API (HOTLINE_API.md): odd texts answered, anything else a JSON 4xx, never a 5xx."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from bad_input.cases import NORMAL, NOT_AN_OBJECT, PHONE, Case, params
from bad_input.checks import Answer, assert_refused, assert_servers_up, send, send_json
from bot.web.hotline import CALL_ID, MAX_QUERY, MAX_TEXT
from bot.web.server import MAX_BODY
from running import Assistant

ASK = "/api/hotline/ask"
FIELDS = {"text", "buttons", "service", "region", "place", "clarify", "intent", "confidence", "candidates",
          "sources", "card"}


def answer_of(answer: Answer) -> dict:
    """The answer object: 200, JSON, every field, a text."""
    assert answer.status == 200 and answer.content_type.startswith("application/json"), answer
    data = answer.json()
    assert set(data) == FIELDS and isinstance(data["text"], str) and data["text"].strip()
    return data


def ask(assistant: Assistant, body: object) -> Answer:
    return send_json(assistant.url("pages", ASK), body)


def assert_still_answers(assistant: Assistant, call_id: str = "bad-next") -> None:
    assert PHONE in answer_of(ask(assistant, {"call_id": call_id, "text": NORMAL}))["text"]


@pytest.mark.parametrize("case", params())
def test_odd_text_is_answered_or_refused_by_the_contract(assistant: Assistant, case: Case) -> None:
    call_id = f"bad-{case.id}"
    assert CALL_ID.fullmatch(call_id)
    body = {"call_id": call_id, "text": case.text}
    answer = ask(assistant, body)
    if len(json.dumps(body)) > MAX_BODY:
        assert_refused(answer, 413)
    elif not case.text.strip() or len(case.text) > MAX_TEXT:
        assert_refused(answer)
    else:
        text = answer_of(answer)["text"]
        assert case.expect is None or case.expect in text
    assert_still_answers(assistant, call_id)


@pytest.mark.parametrize("data", NOT_AN_OBJECT)
def test_body_that_is_no_json_object_is_refused(assistant: Assistant, data: bytes) -> None:
    assert_refused(send(assistant.url("pages", ASK), data))
    assert_still_answers(assistant)


@pytest.mark.parametrize("data, content_type, status", [
    (b'{"call_id": "c", "text": ', "application/json", 400),
    (b'{"call_id": "c", "text": "\xff\xfe\xc3("}', "application/json", 400),
    (b'[{"call_id": "c", "text": "hi"}]', "application/json", 400),
    (b"call_id=c&text=hi", "application/x-www-form-urlencoded", 415),
    (b"<xml><call_id>c</call_id><text>hi</text></xml>", "application/xml", 415),
    (json.dumps({"call_id": "bad-plain", "text": NORMAL}).encode(), "text/plain", 415),  # a cross-site form's
    (json.dumps({"call_id": "bad-none", "text": NORMAL}).encode(), None, 415),
    (json.dumps({"call_id": "c", "text": "hi", "pad": "x" * MAX_BODY}).encode(), "application/json", 413),
], ids=["truncated", "invalid-utf8", "array", "form", "xml", "text-plain", "no-content-type", "oversized"])
def test_unusable_body_is_refused(assistant: Assistant, data: bytes, content_type: str, status: int) -> None:
    assert_refused(send(assistant.url("pages", ASK), data, content_type), status)
    assert_still_answers(assistant)


@pytest.mark.parametrize("fields", [
    {"call_id": None}, {"call_id": 42}, {"call_id": ["c"]}, {"call_id": ""}, {"call_id": "c" * 65},
    {"call_id": "../etc/passwd"}, {"call_id": "a b"}, {"call_id": "<script>"}, {"call_id": "沙湾"},
    {"call_id": "c\n"}, {"text": None}, {"text": 42}, {"text": ["沙湾区"]}, {"text": {"q": "hi"}}, {"text": True},
    {"text": " \u3000\t"}, {"text": "医" * (MAX_TEXT + 1)}, {"region": 5}, {"region": ["沙湾区"]},
    {"region": {"path": "四川省"}}, {"region": "<script>alert(1)</script>"}, {"region": "沙" * (MAX_QUERY + 1)},
    {"region": "不存在的地方"}, {"region": "'; DROP TABLE regions; --"},
], ids=["call-null", "call-number", "call-list", "call-empty", "call-too-long", "call-path", "call-space",
        "call-markup", "call-chinese", "call-newline", "text-null", "text-number", "text-list", "text-object",
        "text-bool", "text-blank", "text-too-long", "region-number", "region-list", "region-object", "region-markup",
        "region-too-long", "region-unknown", "region-sql"])
def test_body_of_the_wrong_shape_is_refused(assistant: Assistant, fields: dict) -> None:
    assert_refused(ask(assistant, {"call_id": "bad-shape", "text": NORMAL} | fields))
    assert_still_answers(assistant)


@pytest.mark.parametrize("missing", ["call_id", "text"])
def test_body_without_a_field_is_refused(assistant: Assistant, missing: str) -> None:
    body = {"call_id": "bad-missing", "text": NORMAL}
    del body[missing]
    assert_refused(ask(assistant, body))
    assert_still_answers(assistant)


@pytest.mark.parametrize("body, content_type", [
    ({"call_id": "c" * 64, "text": NORMAL, "extra": [1, 2]}, "application/json"),
    ({"call_id": "bad-region-null", "text": NORMAL, "region": None}, "application/json"),
    ({"call_id": "bad-region-empty", "text": NORMAL, "region": ""}, "application/json"),
    ({"call_id": "bad-region-trad", "text": "住院报销打哪个电话", "region": "沙灣區"}, "application/json"),
    ({"call_id": "bad-region-full-width", "text": "住院報銷打哪個電話", "region": "四川省／乐山市／沙湾区"}, "application/json"),
    ({"call_id": "bad-longest", "text": (NORMAL * MAX_TEXT)[:MAX_TEXT]}, "application/json"),
], ids=["extra-fields", "region-null", "region-empty", "region-traditional",
        "region-full-width", "longest-text"])
def test_odd_but_usable_body_is_answered(assistant: Assistant, body: dict, content_type: str | None) -> None:
    assert PHONE in answer_of(send(assistant.url("pages", ASK), json.dumps(body).encode(), content_type))["text"]


SHAWAN = "四川省/乐山市/沙湾区"


@pytest.mark.parametrize("query, status, first", [
    ({"q": "<script>alert(1)</script>"}, 200, None), ({"q": "' OR 1=1 --"}, 200, None), ({"q": "😀"}, 200, None),
    ({"q": "\x00"}, 200, None), ({"q": "%"}, 200, None), ({"q": "沙灣"}, 200, SHAWAN), ({"q": "ｓｗｑ"}, 200, SHAWAN),
    ({"q": "沙" * (MAX_QUERY + 1)}, 400, None), ({"limit": "abc"}, 400, None), ({"limit": ""}, 400, None),
    ({"limit": "1e9"}, 400, None), ({"limit": "-5"}, 200, None), ({"limit": "9" * 30}, 200, None),
    ({"q": "swq", "limit": "0"}, 200, SHAWAN),
], ids=["markup", "sql", "emoji", "nul", "percent", "traditional", "full-width", "too-long", "limit-word",
        "limit-empty", "limit-float", "limit-negative", "limit-huge", "limit-zero"])
def test_region_search_answers_or_refuses_cleanly(assistant: Assistant, query: dict[str, str], status: int,
                                                  first: str | None) -> None:
    answer = send(assistant.url("pages", "/api/hotline/regions?" + urllib.parse.urlencode(query)), method="GET")
    if status == 400:
        assert_refused(answer)
    else:
        assert answer.status == 200 and answer.content_type.startswith("application/json")
        found = answer.json()["regions"]
        assert isinstance(found, list) and len(found) <= 50
        assert first is None or found[0]["path"] == first
    assert_still_answers(assistant)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_on_ask_are_refused(assistant: Assistant, method: str) -> None:
    answer = send(assistant.url("pages", ASK), b"{}", method=method)
    assert 400 <= answer.status < 500 and "error" in answer.json()
    assert_still_answers(assistant)


def test_servers_still_up(assistant: Assistant) -> None:
    assert_servers_up(assistant)
