"""What the guides do not hold, on the real knowledge base: another office's matter, a topic no guide covers,
nothing understood."""
from __future__ import annotations

from typing import Callable

import pytest

from bot.dialogue.turn import Reply

Chat = Callable[..., Reply]


def test_another_offices_matter_is_said_to_be_out_of_scope(chat: Chat) -> None:
    reply = chat("驾照过期了换证要带啥")
    assert not reply.meta["clarify"] and not reply.meta["service"] and "12345" in reply.text
    assert "不属于医保经办事项" in reply.text and "off_topic" in reply.meta["gaps"]


@pytest.mark.parametrize(("text", "service", "topic"), [
    ("乐山住院报销比例是好多，能报百分之几", "住院费用报销", "报销比例"),
    ("城乡居民医保今年一年交好多钱", "城乡居民参保登记", "缴费标准"),  # the service that collects it
    ("社保卡搞掉了咋个补办", None, "社会保障卡补办"),
    ("四川城乡居民医保啥时候缴费截止", "城乡居民参保登记", "缴费时间"),
    ("职工医保退休时要交满多少年才能享受待遇", "职工基本医疗保险费趸缴", "缴费年限"),  # 趸缴 makes the years up
    ("达州门特有哪些病可以认定嘛", "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "病种范围"),
    ("德阳门诊报销能报百分之好多", "门诊费用报销", "报销比例"),  # 好多: how much, in dialect
    ("家庭共济咋弄", None, "家庭共济"),
])
def test_what_no_guide_holds_is_said_plainly(chat: Chat, text: str, service: str | None, topic: str) -> None:
    reply = chat(text)
    assert topic in reply.text and "12345" in reply.text and not reply.meta["clarify"]
    assert reply.meta["service"] == service
    if service and reply.meta["region"]:  # the local office's number to ask, from the guide that was named
        assert f"未列出{service}的{topic}" in reply.text and "咨询电话" in reply.text


def test_outside_the_guides_says_what_is_covered(chat: Chat) -> None:
    reply = chat("海口市住院报销要带什么")
    assert "暂未收录" in reply.text and "12345" in reply.text


def test_nothing_understood_says_what_can_be_asked(chat: Chat) -> None:
    reply = chat("嗯嗯嗯啊", intent="nlu_fallback")
    assert reply.meta["clarify"] and "沙湾区住院报销打哪个电话" in reply.text


def test_no_insurance_matter_is_said_to_be_out_of_scope(chat: Chat) -> None:
    reply = chat("今天天气怎么样", intent="out_of_scope")
    assert not reply.meta["clarify"] and "不属于医保经办事项" in reply.text and "12345" in reply.text


def test_nothing_but_latin_letters_or_marks_is_asked_again(chat: Chat) -> None:
    for text in ("asdkjh", "？？"):
        reply = chat(text, intent="out_of_scope")
        assert reply.meta["clarify"] and "没有听懂" in reply.text


def test_a_topic_no_guide_holds_beside_a_question_it_answers_gets_both(chat: Chat) -> None:
    reply = chat("我提前退休 医保缴费年限不够 单位说要一次性补齐 我住苏稽 要带啥子")
    assert "办理材料" in reply.text and "缴费年限" in reply.text and "12345" in reply.text
    assert reply.meta["region"] == "四川省/乐山市/市中区"


def test_a_lost_card_is_said_to_be_outside_the_guides(chat: Chat) -> None:
    reply = chat("医保卡掉了 咋个补办")
    assert "社会保障卡补办" in reply.text and "12345" in reply.text and not reply.meta["clarify"]
