"""Follow-ups, on the real knowledge base: what a new message changes and what it keeps from the
conversation."""
from __future__ import annotations

from typing import Callable

from bot.dialogue.turn import Reply

Chat = Callable[..., Reply]


def test_follow_ups_change_one_slot_and_keep_the_other(chat: Chat) -> None:
    chat("沙湾区住院报销打哪个电话")
    reply = chat("那峨眉山呢？")
    assert "0833-5546541" in reply.text and "0833-3432615" not in reply.text
    reply = chat("那要多久？")
    assert reply.meta["service"] == "住院费用报销" and "办理时限" in reply.text
    reply = chat("换成门诊呢")
    assert reply.meta["service"] == "门诊费用报销" and reply.meta["region"] == "四川省/乐山市/峨眉山市"


def test_city_office_holds_for_follow_ups(chat: Chat) -> None:
    chat("达州市本级生育津贴咨询电话")
    reply = chat("投诉打哪个")
    assert "0818-2185273" in reply.text and "0818-2124898" not in reply.text  # not 通川区's


def test_a_correction_changes_the_place_only(chat: Chat) -> None:
    chat("峨边县住院报销打哪个电话")
    reply = chat("我说错了，是峨眉")
    assert reply.meta["service"] == "住院费用报销" and "0833-5546541" in reply.text


def test_a_place_answer_keeps_what_was_asked(chat: Chat) -> None:
    chat("门特认定电话多少")
    reply = chat("金口河区", intent="ask_overview")  # whatever DIET makes of a bare place
    assert "0833-2715536" in reply.text


def test_a_follow_up_in_the_guides_words_stays_on_the_service(chat: Chat) -> None:
    chat("湖北计划生育医疗费支付要哪些材料", intent="ask_materials")
    reply = chat("没得结婚证咋办", intent="out_of_scope")  # the intent model alone calls it out of scope
    assert reply.meta["service"] == "计划生育医疗费支付" and "个人承诺书" in reply.text
    reply = chat("公积金提取要带啥", intent="ask_materials")  # another office's: not the kept service's
    assert not reply.meta["service"] and "不属于医保经办事项" in reply.text


def test_a_guide_named_by_its_way_holds_for_follow_ups_until_a_place_is_named(chat: Chat) -> None:
    chat("川渝通办转移接续要带啥")
    reply = chat("好久办好")  # the 川渝通办 guide's time limit, not "各地规定不同"
    assert not reply.meta["clarify"] and "20个工作日" in reply.text and "《川渝通办" in reply.text
    local = chat("那沙湾区呢")
    assert "《乐山市" in local.text


def test_a_follow_up_place_typed_by_its_sound_is_the_place_asked(chat: Chat) -> None:
    chat("沙湾区住院报销打哪个电话")
    reply = chat("那木川呢")  # jieba joins 那 to the unknown 木川; 沐川县's number, not 沙湾区's again
    assert "0833-4607230" in reply.text and "0833-3432615" not in reply.text


def test_a_follow_up_naming_an_unknown_place_asks_where_instead_of_repeating(chat: Chat) -> None:
    chat("沙湾区住院报销打哪个电话")
    reply = chat("那溜溜坝呢")  # no place the gazetteer knows: not 沙湾区's number again
    assert reply.meta["clarify"] and "0833-3432615" not in reply.text
    assert not chat("那转出呢").meta["clarify"]  # a word of the dictionary: the same place, asked again
