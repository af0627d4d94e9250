"""Which service is meant, on the real knowledge base: ties, kinds of service, asking back and its answers."""
from __future__ import annotations

from typing import Callable

import pytest

from bot.dialogue.turn import Reply

Chat = Callable[..., Reply]


def test_asks_which_service_when_candidates_tie_and_takes_a_number(chat: Chat) -> None:
    reply = chat("备案要带什么")
    assert reply.meta["clarify"] and len(reply.buttons) >= 5
    titles = [b["title"] for b in reply.buttons]
    reply = chat("2")
    assert reply.meta["service"] == titles[1] and "办理材料" in reply.text


def test_no_asking_back_when_every_candidate_has_the_same_number(chat: Chat) -> None:
    reply = chat("峨边报销打哪个电话")
    assert not reply.meta["clarify"] and "0833-5228371" in reply.text


def test_who_is_asking_keeps_the_service(chat: Chat) -> None:
    chat("达州住院报销打哪个电话")
    reply = chat("那达川区呢，我是职工医保")
    assert reply.meta["service"] == "住院费用报销" and reply.meta["region"] == "四川省/达州市/达川区"


def test_an_ask_back_is_answered_by_a_word_and_lists_options_in_guide_order(chat: Chat) -> None:
    reply = chat("报销要带什么")
    assert [b["title"] for b in reply.buttons][:2] == ["门诊费用报销", "住院费用报销"]
    chat("参保登记要带啥")
    reply = chat("职工的")
    assert reply.meta["service"] == "职工参保登记" and "办理材料" in reply.text


@pytest.mark.parametrize(("first", "then", "service"), [
    ("沙湾区单位参保登记要带啥", "职工的呢", "职工参保登记"),
    ("乐山医院申请定点要带啥", "药店的呢", "零售药店申请定点协议管理"),
    ("沙湾药店费用结算电话", "医院的呢", "基本医疗保险定点医疗机构费用结算"),
])
def test_a_kind_of_service_switches_to_the_sibling(chat: Chat, first: str, then: str, service: str) -> None:
    chat(first)
    assert chat(then).meta["service"] == service


def test_a_kind_alone_with_no_sibling_asks_which(chat: Chat) -> None:
    chat("宣汉县门诊报销电话")
    reply = chat("那登记的呢")
    assert reply.meta["clarify"] and "职工参保登记" in [b["title"] for b in reply.buttons]
    chat("达州住院报销电话")
    reply = chat("那大竹呢，我是职工")  # who asks, not a new kind: the service stays
    assert reply.meta["service"] == "住院费用报销" and not reply.meta["clarify"]
    chat("达川区住院报销电话")
    reply = chat("居民医保的")
    assert reply.meta["service"] == "住院费用报销" and "0818-5336530" in reply.text


def test_the_most_local_guide_decides_between_close_candidates(chat: Chat) -> None:
    reply = chat("我爸有高血压糖尿病，在夹江想办慢性病门诊待遇，要准备啥材料")  # 乐山 lists no 两病 认定
    assert reply.meta["service"] == "基本医疗保险参保人员享受门诊慢特病病种待遇认定"


@pytest.mark.parametrize(("history", "text", "expected"), [
    ("襄阳在职职工参保登记要多久", "灵活就业的呢", "职工参保登记"),  # 湖北 has no 灵活就业缴费 of its own
    (None, "湖北单行支付药品认定要么子材料", None),                  # nor this: no stand-in service
])
def test_services_a_guide_lacks(chat: Chat, history: str | None, text: str, expected: str | None) -> None:
    if history:
        chat(history)
    reply = chat(text)
    assert reply.meta["service"] == expected
    if expected is None:
        assert "没有找到" in reply.text and "12345" in reply.text


def test_a_question_about_insurance_in_general_asks_which_service(chat: Chat) -> None:
    reply = chat("你好 我想咨询一下医保的事情", intent="nlu_fallback")
    assert reply.meta["clarify"] and "哪一项医保业务" in reply.text


def test_tied_services_of_the_way_named_that_answer_alike_are_not_asked_about(chat: Chat) -> None:
    reply = chat("川渝通办 异地备案办得不好 投诉打哪个")
    assert not reply.meta["clarify"] and "的答案相同" in reply.text and "12345" in reply.text


def test_asking_back_offers_choices_as_buttons_and_numbers_none(chat: Chat) -> None:
    """Numbering is the text-only channels' job (bot.channels.wechat_format), so no choice is numbered twice."""
    reply = chat("备案要带什么")
    assert reply.meta["clarify"] and reply.buttons and "1. " not in reply.text


def test_another_service_with_ne_asks_the_same_and_the_new_question(chat: Chat) -> None:
    chat("渠县门诊慢特病认定电话多少")
    reply = chat("两病认定呢 要多久")
    assert "高血压" in reply.meta["service"] and "办理时限" in reply.text and "咨询电话" in reply.text


def test_services_tied_with_no_place_are_asked_about_where_guides_set_the_time_limit_differently(
    chat: Chat,
) -> None:
    reply = chat("结算好久到账")  # 药店 and 医疗机构 结算 agree in the 四川 指南, not in every guide
    assert reply.meta["clarify"]
    lone = chat("定点的事情咋个弄")  # one option from another guide than the rest shares no answer with them
    assert "的答案相同" not in lone.text


def test_the_ways_name_is_no_question_about_channels(chat: Chat) -> None:
    reply = chat("川渝通办 办事不满意 投诉打哪个")  # what every 川渝通办 service answers: no need to ask which
    assert not reply.meta["clarify"] and "投诉电话：12345" in reply.text



def test_an_operators_note_that_the_caller_left_the_place_or_kind_unsaid_is_asked_back(chat: Chat) -> None:
    place = chat("来电人咨询住院费用报销要带哪些材料，未说明参保地。")
    assert place.meta["clarify"] and place.meta["service"] == "住院费用报销"
    kind = chat("市民来电：问变更登记要多久，未说明单位还是个人。")
    assert kind.meta["clarify"] and kind.meta["service"] is None
    told = chat("来电人称窗口未告知原因就退件，要投诉电话，达州市本级住院报销")  # the reason unsaid, not a place
    assert not told.meta["clarify"]
