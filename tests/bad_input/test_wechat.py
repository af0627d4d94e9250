"""Bad input on the WeChat webhook: odd texts answered, broken or hostile XML refused (400), forged or stale
signatures refused (403) and not answered, retries one turn, unknown message types a polite text."""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bad_input.cases import ASK, NORMAL, PHONE, Case, params
from bad_input.checks import assert_servers_up
from bot.channels import wechat_format as fmt
from bot.dialogue import wording
from bot.channels.wechat import MAX_BODY
from running import Assistant
from wechat_client import (ACCOUNT, TOKEN, ask, message_xml, reply_fields, request, say, sign, signed, text_xml,
                           user_turns)

NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # outside XML 1.0's Char


def assert_still_answers(assistant: Assistant, openid: str) -> None:
    assert PHONE in say(assistant, openid, NORMAL)


def post(assistant: Assistant, body: str | bytes) -> tuple[int, str]:
    """POST a body, signed, in plain mode."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body  # a lone surrogate: not UTF-8
    return request(assistant, signed(), data)


@pytest.mark.parametrize("case", params())
def test_odd_text_is_answered(assistant: Assistant, case: Case) -> None:
    openid = f"o-bad-{case.id}"
    status, body = post(assistant, text_xml(openid, case.text))
    if NOT_XML_CHAR.search(case.text):  # WeChat never sends these: such a body is not XML
        assert status == 400 and user_turns(assistant, openid) == 0
    else:
        assert status == 200, body
        reply = reply_fields(body)
        assert (reply["ToUserName"], reply["MsgType"]) == (openid, "text")
        assert reply["Content"].strip() and len(reply["Content"].encode()) <= fmt.MAX_BYTES
        assert case.expect is None or case.expect in reply["Content"]
    assert_still_answers(assistant, openid)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>&c;&c;&c;</Content></xml>"""
QUADRATIC_BLOWUP = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "' + "x" * 20_000 + '">]>'
                    "<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>"
                    + "&a;" * 1000 + "</Content></xml>")
EXTERNAL_ENTITY = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>&x;</Content></xml>"""
PARAMETER_ENTITY = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>
<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>"""
PLAIN_DTD = """<?xml version="1.0"?><!DOCTYPE xml>
<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>"""
GBK = ('<?xml version="1.0" encoding="GBK"?><xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType>'
       "<Content>沙湾区住院报销打哪个电话</Content></xml>").encode("gbk")
INVALID_UTF8 = (b"<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>\xff\xfe\xc3(</Content>"
                b"</xml>")


@pytest.mark.parametrize("body", [
    b"", b"not xml at all", b"<xml>", b"<xml><FromUserName>o-bad-xml</FromUserName><MsgType>te",
    b"<html><body><p>hi</p></body></html>", b'{"FromUserName": "o-bad-xml", "MsgType": "text", "Content": "hi"}',
    b"<xml><Content>no sender</Content></xml>", b"<xml><FromUserName>o-bad-xml</FromUserName></xml>",
    b"<xml><FromUserName></FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>",
    b"<xml><FromUserName>o-bad-xml</FromUserName><MsgType></MsgType><Content>hi</Content></xml>",
    b"<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>&nbsp;</Content></xml>",
    b"<xml><FromUserName>o-bad-xml</FromUserName><MsgType>text</MsgType><Content>a\x00b</Content></xml>",
    b"<xml>" + b"<a>" * 8_000 + b"</a>" * 8_000 + b"</xml>",
    BILLION_LAUGHS.encode(), QUADRATIC_BLOWUP.encode(), EXTERNAL_ENTITY.encode(), PARAMETER_ENTITY.encode(),
    PLAIN_DTD.encode(), GBK, INVALID_UTF8,
], ids=["empty", "not-xml", "unclosed", "truncated", "html", "json", "no-sender", "no-type", "empty-sender",
        "empty-type", "undefined-entity", "nul-byte", "nested-deep", "billion-laughs", "quadratic-blowup",
        "external-entity", "parameter-entity", "dtd", "gbk", "invalid-utf8"])
def test_broken_or_hostile_xml_is_refused(assistant: Assistant, body: bytes) -> None:
    status, answer = post(assistant, body)
    assert status == 400 and "haha" not in answer and "root:" not in answer and len(answer) < 1000
    assert user_turns(assistant, "o-bad-xml") == 0
    assert_still_answers(assistant, "o-bad-xml-next")


def test_oversized_body_is_refused(assistant: Assistant) -> None:
    status, _ = post(assistant, text_xml("o-bad-big", "医" * (MAX_BODY // 3 + 1)))
    assert status == 413 and user_turns(assistant, "o-bad-big") == 0
    assert_still_answers(assistant, "o-bad-big")


def forged(**changes: str) -> dict[str, str]:
    return signed() | changes


@pytest.mark.parametrize("make_query", [
    lambda: forged(signature="0" * 40), lambda: signed(token="stolen-guess"),
    lambda: {"timestamp": str(int(time.time())), "nonce": "n"}, lambda: forged(signature=""), dict,
    lambda: signed(timestamp=int(time.time()) - 3600), lambda: signed(timestamp=int(time.time()) + 3600),
    lambda: forged(timestamp="not-a-time"), lambda: forged(nonce="another"),
    lambda: forged(signature=signed()["signature"].upper()),
], ids=["zero-signature", "wrong-token", "no-signature", "empty-signature", "no-query", "stale", "future",
        "timestamp-changed", "nonce-changed", "upper-case"])
def test_forged_or_stale_signature_is_refused_and_not_answered(assistant: Assistant,
                                                               make_query: Callable[[], dict[str, str]]) -> None:
    openid, query = f"o-bad-forged-{uuid.uuid4().hex[:8]}", make_query()
    status, answer = request(assistant, query, text_xml(openid, NORMAL))
    assert status == 403 and PHONE not in answer
    assert request(assistant, query | {"echostr": "12345"})[0] == 403  # the server check (GET) too
    assert user_turns(assistant, openid) == 0
    assert_still_answers(assistant, openid)


def safe_mode(encrypt: str, msg_signature: str | None = None) -> tuple[dict[str, str], str]:
    """A safe-mode query and body; the message signature is the right one for ``encrypt`` unless given."""
    query = signed(encrypt_type="aes")
    query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], encrypt) if msg_signature is None \
        else msg_signature
    return query, f"<xml><ToUserName>{ACCOUNT}</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"


@pytest.mark.parametrize("encrypt, msg_signature, status", [
    ("bm90IGVuY3J5cHRlZA==", "0" * 40, 403), ("bm90IGVuY3J5cHRlZA==", "", 403), ("bm90IGVuY3J5cHRlZA==", None, 400),
    ("!!! not base64 !!!", None, 400), ("", None, 400),
], ids=["wrong-msg-signature", "no-msg-signature", "not-encrypted", "not-base64", "empty"])
def test_bad_safe_mode_message_is_refused(assistant: Assistant, encrypt: str, msg_signature: str | None,
                                          status: int) -> None:
    assert request(assistant, *safe_mode(encrypt, msg_signature))[0] == status
    assert_still_answers(assistant, "o-bad-aes-next")


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "沙灣區住院報銷打哪個電話", "😀" * 100])
def test_retries_of_an_odd_message_make_one_turn(assistant: Assistant, text: str) -> None:
    openid = f"o-bad-retry-{uuid.uuid4().hex[:8]}"
    msg_id = str(uuid.uuid4().int)[:18]
    with ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(lambda xml: ask(assistant, xml)["Content"], [text_xml(openid, text, msg_id)] * 3))
    replies.append(ask(assistant, text_xml(openid, "另一句话，同一个 MsgId", msg_id))["Content"])  # a forged replay
    assert replies[0].strip() and len(set(replies)) == 1
    assert user_turns(assistant, openid) == 1
    assert_still_answers(assistant, openid)


@pytest.mark.parametrize("msg_type, fields, reply", [
    ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}, wording.UNSUPPORTED),
    ("file", {"Title": "a.pdf", "FileKey": "k"}, wording.UNSUPPORTED),
    ("no_such_type", {"Content": ASK}, wording.UNSUPPORTED),
    ("<script>", {}, wording.UNSUPPORTED),
    ("event", {"Event": "no_such_event"}, wording.UNSUPPORTED),
    ("event", {}, wording.UNSUPPORTED),
    ("voice", {"MediaId": "m", "Format": "amr"}, wording.UNHEARD),
    ("voice", {"MediaId": "m", "Recognition": "  "}, wording.UNHEARD),
    ("text", {}, wording.EMPTY),
    ("text", {"Content": "\u3000\t "}, wording.EMPTY),
    ("TEXT", {"Content": ASK}, PHONE),
    ("voice", {"Recognition": "沙灣區住院報銷打哪個電話"}, PHONE),
], ids=["shortvideo", "file", "unknown-type", "markup-type", "unknown-event", "event-without-name", "voice-unheard",
        "voice-blank", "text-without-content", "text-blank", "upper-case-type", "traditional-voice"])
def test_unknown_or_empty_message_gets_a_polite_text(assistant: Assistant, msg_type: str, fields: dict[str, str],
                                                      reply: str) -> None:
    openid = f"o-bad-type-{uuid.uuid4().hex[:8]}"
    content = ask(assistant, message_xml(openid, msg_type, str(uuid.uuid4().int)[:18], **fields))["Content"]
    assert reply in content
    assert_still_answers(assistant, openid)


def test_servers_still_up(assistant: Assistant) -> None:
    assert_servers_up(assistant)
