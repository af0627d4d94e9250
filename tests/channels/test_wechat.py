"""The WeChat channel of the running assistant, signed like WeChat's servers sign, on loopback.

The slow path (answer after the passive-reply deadline) runs on its own assistant whose customer-service API
is a fake on loopback (tests/fake_wechat_api.py).
"""
from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat import TRANSFER, Incoming, WeChatInput, WeChatSettings
from bot.channels.wechat_format import MAX_BYTES
from bot.dialogue.wording import CUT_NOTE
from fake_wechat_api import FakeWeChatApi
from running import WECHAT_ENV, Assistant, start_assistant, stop_assistant
from wechat_client import (ACCOUNT, AES_KEY, APPID, TOKEN, ask, message_xml, reply_fields, request, say, signed,
                           text_xml, user_turns)


def test_server_verification_echoes_echostr(assistant: Assistant) -> None:
    assert request(assistant, signed(echostr="1234567890")) == (200, "1234567890")


@pytest.mark.parametrize("query", [
    signed(token="wrong-token", echostr="1234567890"),
    {"timestamp": str(int(time.time())), "nonce": "n", "echostr": "1234567890"},
    signed(timestamp=int(time.time()) - 3600, echostr="1234567890"),
], ids=["wrong signature", "no signature", "stale timestamp"])
def test_server_verification_refuses_bad_signatures(assistant: Assistant, query: dict[str, str]) -> None:
    status, body = request(assistant, query)
    assert status == 403 and "1234567890" not in body


def test_district_phone_then_follow_up(assistant: Assistant) -> None:
    openid = "o-wx-follow-up"
    assert "0833-3432615" in say(assistant, openid, "沙湾区的，住院报销打哪个电话")
    answer = say(assistant, openid, "那峨眉山呢？")
    assert "0833-5546541" in answer and "0833-3432615" not in answer
    assert user_turns(assistant, openid) == 2


def test_safe_mode_round_trip(assistant: Assistant) -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    query = signed(encrypt_type="aes")
    sealed = reply_fields(crypto.encrypt_message(text_xml("o-wx-aes", "沙湾区的，住院报销打哪个电话"),
                                                 query["nonce"], query["timestamp"]))
    query["msg_signature"] = sealed["MsgSignature"]
    status, body = request(assistant, query, f"<xml><ToUserName>{ACCOUNT}</ToUserName>"
                                             f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>")
    assert status == 200 and "0833-3432615" not in body
    reply = reply_fields(body)
    plain = crypto.decrypt_message(body, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"])
    assert "0833-3432615" in reply_fields(plain)["Content"]

    query["msg_signature"] = "0" * 40
    assert request(assistant, query, f"<xml><Encrypt>{sealed['Encrypt']}</Encrypt></xml>")[0] == 403


def test_voice_uses_the_recognition(assistant: Assistant) -> None:
    xml = message_xml("o-wx-voice", "voice", "8800001", MediaId="m1", Format="amr",
                      Recognition="沙湾区住院报销打哪个电话")
    assert "0833-3432615" in ask(assistant, xml)["Content"]
    unheard = ask(assistant, message_xml("o-wx-voice", "voice", "8800002", MediaId="m2", Format="amr"))
    assert "打字" in unheard["Content"]


def test_subscribe_gets_a_welcome_saying_what_can_be_asked(assistant: Assistant) -> None:
    welcome = ask(assistant, message_xml("o-wx-new", "event", Event="subscribe"))["Content"]
    assert all(word in welcome for word in ("材料", "时限", "电话", "沙湾区住院报销打哪个电话"))
    assert user_turns(assistant, "o-wx-new") == 0


@pytest.mark.parametrize("msg_type, fields", [
    ("image", {"PicUrl": "http://127.0.0.1/a.jpg", "MediaId": "m"}),
    ("location", {"Location_X": "29.5", "Location_Y": "103.7", "Scale": "15", "Label": "乐山"}),
    ("link", {"Title": "t", "Description": "d", "Url": "http://127.0.0.1/"}),
    ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("miniprogrampage", {"Title": "t"}),
])
def test_other_messages_get_a_polite_text(assistant: Assistant, msg_type: str, fields: dict[str, str]) -> None:
    reply = ask(assistant, message_xml("o-wx-other", msg_type, str(uuid.uuid4().int)[:18], **fields))["Content"]
    assert "文字和语音" in reply and "沙湾区住院报销打哪个电话" in reply


def test_a_menu_key_or_qr_scene_that_names_a_matter_is_asked_and_a_code_gets_the_welcome(
        assistant: Assistant) -> None:
    asked = ask(assistant, message_xml("o-wx-click", "event", Event="CLICK", EventKey="沙湾区住院报销咨询电话"))
    assert "0833-3432615" in asked["Content"]
    scanned = ask(assistant, message_xml("o-wx-scan", "event", Event="subscribe", EventKey="qrscene_沙湾区住院报销电话"))
    assert "0833-3432615" in scanned["Content"]
    assert user_turns(assistant, "o-wx-click") == user_turns(assistant, "o-wx-scan") == 1
    for event, key in (("CLICK", "V1001_MENU"), ("SCAN", "42")):
        reply = ask(assistant, message_xml("o-wx-code", "event", Event=event, EventKey=key))["Content"]
        assert "医保办事助手" in reply and "沙湾区住院报销打哪个电话" in reply
    assert user_turns(assistant, "o-wx-code") == 0


def test_two_events_in_one_second_are_both_handled(assistant: Assistant) -> None:
    second = int(time.time())
    welcome = ask(assistant, message_xml("o-wx-two", "event", create_time=second, Event="subscribe"))
    click = ask(assistant, message_xml("o-wx-two", "event", create_time=second, Event="CLICK",
                                       EventKey="沙湾区住院报销咨询电话"))
    assert "欢迎关注" in welcome["Content"] and "0833-3432615" in click["Content"]


def test_a_menu_link_gets_no_reply(assistant: Assistant) -> None:
    status, body = request(assistant, signed(), message_xml("o-wx-view", "event", Event="VIEW",
                                                           EventKey="http://127.0.0.1/"))
    assert (status, body) == (200, "success")


def test_clarification_as_numbered_choices_then_pick_by_number(assistant: Assistant) -> None:
    asked = say(assistant, "o-wx-choice", "备案")
    assert "1. " in asked and "2. " in asked and "回复 1、2" in asked
    assert not any(mark in asked for mark in ("**", "`", "](", "\n#"))
    first = asked.split("1. ", 1)[1].split("\n", 1)[0]
    assert f"【{first}】" in say(assistant, "o-wx-choice", "1")


def test_retries_of_a_message_make_one_turn(assistant: Assistant) -> None:
    openid, xml = "o-wx-retry", text_xml("o-wx-retry", "沙湾区的，住院报销打哪个电话", "7700000000000001")
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(ask, assistant, xml)
        time.sleep(0.05)  # the retries arrive while the first is being answered
        retries = [pool.submit(ask, assistant, xml) for _ in range(2)]
        answers = [first.result()["Content"]] + [r.result()["Content"] for r in retries]
    answers.append(ask(assistant, xml)["Content"])  # and once it is answered
    assert "0833-3432615" in answers[0] and len(set(answers)) == 1
    assert user_turns(assistant, openid) == 1


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o-wx-bomb</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</Content><MsgId>1</MsgId></xml>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o-wx-bomb</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&x;</Content><MsgId>2</MsgId></xml>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, "<xml><ToUserName>gh", "not xml at all",
                                  "<xml><Content>no sender</Content></xml>"],
                         ids=["billion laughs", "external entity", "truncated", "not xml", "no sender"])
def test_hostile_or_malformed_xml_is_refused(assistant: Assistant, body: str) -> None:
    status, answer = request(assistant, signed(), body)
    assert status == 400 and "haha" not in answer and "root:" not in answer
    assert user_turns(assistant, "o-wx-bomb") == 0
    assert "0833-3432615" in say(assistant, "o-wx-after-bomb", "沙湾区的，住院报销打哪个电话")


def test_forged_post_is_refused_and_not_answered(assistant: Assistant) -> None:
    xml = text_xml("o-wx-forged", "沙湾区的，住院报销打哪个电话")
    for query in (signed(token="stolen-guess"), {"timestamp": str(int(time.time())), "nonce": "n"}):
        assert request(assistant, query, xml)[0] == 403
    assert user_turns(assistant, "o-wx-forged") == 0


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi(APPID, WECHAT_ENV["WECHAT_SECRET"])
    api.start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def slow_assistant(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeWeChatApi) -> Iterator[Assistant]:
    """An assistant whose passive-reply deadline always passes (none at all: a turn now takes less than 10 ms):
    every answer goes by the customer-service API."""
    state: Path = tmp_path_factory.mktemp("wechat-slow")
    running = start_assistant(state, extra_env={"WECHAT_REPLY_TIMEOUT": "0", "WECHAT_API_BASE": fake_api.url})
    yield running
    stop_assistant(running)


def test_late_answer_goes_by_the_customer_service_api(slow_assistant: Assistant, fake_api: FakeWeChatApi) -> None:
    xml = text_xml("o-wx-slow", "沙湾区的，住院报销打哪个电话", "6600000000000001")
    assert request(slow_assistant, signed(), xml) == (200, "success")
    assert request(slow_assistant, signed(), xml) == (200, "success")  # WeChat's retry: no second turn
    assert "0833-3432615" in fake_api.wait_for_texts("o-wx-slow")[0]

    assert request(slow_assistant, signed(), text_xml("o-wx-slow-2", "那峨眉山住院报销呢？")) == (200, "success")
    assert "0833-5546541" in fake_api.wait_for_texts("o-wx-slow-2")[0]
    assert len(fake_api.token_requests) == 1  # the access token is cached
    assert user_turns(slow_assistant, "o-wx-slow") == 1 and len(fake_api.texts_to("o-wx-slow")) == 1


LONG_ANSWER = "\n".join(f"第{n}行：" + "医保" * 60 for n in range(30))


def passive(channel: WeChatInput, openid: str, *messages: dict) -> str:
    """The passive reply of the channel (in this process) to a message that Rasa answers with ``messages``
    (texts, or custom payloads)."""
    async def rasa(message) -> None:  # stands in for Rasa's message handler
        for sent in messages:
            if "text" in sent:
                await message.output_channel.send_text_message(message.sender_id, sent["text"])
            else:
                await message.output_channel.send_custom_json(message.sender_id, sent["custom"])

    async def exchange() -> str:
        reply = await channel.passive_reply(rasa, Incoming(openid, ACCOUNT, "text", "", "问", openid, "1"))
        await asyncio.gather(*channel.tasks)
        return reply
    return asyncio.run(exchange())


def answer_long(channel: WeChatInput, openid: str) -> str:
    return passive(channel, openid, {"text": LONG_ANSWER})


def test_long_answer_passive_first_part_then_the_rest_by_the_api(tmp_path: Path, fake_api: FakeWeChatApi) -> None:
    channel = WeChatInput(WeChatSettings(TOKEN, "", APPID, WECHAT_ENV["WECHAT_SECRET"], fake_api.url, 5.0, tmp_path))
    reply = answer_long(channel, "o-wx-long")
    rest = fake_api.texts_to("o-wx-long")
    assert len(reply.encode()) <= MAX_BYTES and rest and all(len(part.encode()) <= MAX_BYTES for part in rest)
    assert "\n".join([reply, *rest]) == LONG_ANSWER


def test_long_answer_without_the_api_is_cut_with_a_note(tmp_path: Path) -> None:
    channel = WeChatInput(WeChatSettings(TOKEN, "", "", "", "http://127.0.0.1:9/", 5.0, tmp_path))
    reply = answer_long(channel, "o-wx-long-no-api")
    assert reply.endswith(CUT_NOTE) and len(reply.encode()) <= MAX_BYTES and LONG_ANSWER.startswith(reply[:500])


@pytest.fixture(scope="module")
def api_assistant(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeWeChatApi) -> Iterator[Assistant]:
    """An assistant whose customer-service API is the fake on loopback (the hand-over sends its text there)."""
    running = start_assistant(tmp_path_factory.mktemp("wechat-api"), extra_env={"WECHAT_API_BASE": fake_api.url})
    yield running
    stop_assistant(running)


def sealed_ask(assistant: Assistant, xml: str) -> dict[str, str]:
    """POST a message in safe mode (AES); the fields of the decrypted passive reply."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    query = signed(encrypt_type="aes")
    sealed = reply_fields(crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))
    query["msg_signature"] = sealed["MsgSignature"]
    status, body = request(assistant, query, f"<xml><ToUserName>{ACCOUNT}</ToUserName>"
                                             f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>")
    assert status == 200, body
    fields = reply_fields(body)
    return reply_fields(crypto.decrypt_message(body, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]))


def test_asking_for_a_person_transfers_to_the_human_service_with_the_local_number(
        api_assistant: Assistant, fake_api: FakeWeChatApi) -> None:
    openid = "o-wx-person"
    assert "0833-3432615" in say(api_assistant, openid, "沙湾区的，住院报销打哪个电话")
    reply = ask(api_assistant, text_xml(openid, "转人工"))
    assert (reply["MsgType"], reply["ToUserName"], reply["FromUserName"]) == (
        "transfer_customer_service", openid, ACCOUNT)
    text = fake_api.wait_for_texts(openid)[0]
    assert "转接人工客服" in text and "0833-3432615" in text and "12345" in text


def test_two_complaints_about_the_answer_in_a_row_hand_over_also_in_safe_mode(
        api_assistant: Assistant, fake_api: FakeWeChatApi) -> None:
    openid = "o-wx-unhappy"
    assert "0833-3432615" in sealed_ask(api_assistant, text_xml(openid, "沙湾区的，住院报销打哪个电话"))["Content"]
    first = sealed_ask(api_assistant, text_xml(openid, "答非所问"))
    assert first["MsgType"] == "text" and "没有帮到您" in first["Content"]
    second = sealed_ask(api_assistant, text_xml(openid, "你说错了"))
    assert second["MsgType"] == "transfer_customer_service"
    assert "0833-3432615" in fake_api.wait_for_texts(openid)[0]


def hand_over(channel: WeChatInput, openid: str) -> str:
    """The passive reply to a message whose answer hands over to a person: the text, then the answer's data."""
    return passive(channel, openid, {"text": "请拨打12345政务服务便民热线。"}, {"custom": {"yibao": {"handoff": True}}})


def test_the_transfer_can_be_turned_off(tmp_path: Path, fake_api: FakeWeChatApi) -> None:
    settings = WeChatSettings(TOKEN, "", APPID, WECHAT_ENV["WECHAT_SECRET"], fake_api.url, 5.0, tmp_path)
    assert hand_over(WeChatInput(settings), "o-wx-transfer-on") == TRANSFER
    off = WeChatInput(replace(settings, transfer=False, state_dir=tmp_path / "off"))
    assert hand_over(off, "o-wx-transfer-off") == "请拨打12345政务服务便民热线。"
    assert fake_api.texts_to("o-wx-transfer-off") == []
