"""Which place answers, on the real knowledge base: districts, townships, old names, the city's own office,
provinces, places one visits; asking for the place only when it changes the answer."""
from __future__ import annotations

from typing import Callable

import pytest

from bot.dialogue.turn import Reply

Chat = Callable[..., Reply]


def test_asks_for_the_place_when_the_phone_depends_on_it(chat: Chat) -> None:
    reply = chat("住院报销打哪个电话")
    assert reply.meta["clarify"] and reply.buttons
    reply = chat("沐川")
    assert "0833-4607230" in reply.text and not reply.meta["clarify"]


def test_asks_for_the_place_when_the_guides_set_the_time_limit_differently(chat: Chat) -> None:
    reply = chat("住院报销要多久")  # 乐山 9 个工作日, 四川/达州 30, 湖北 15
    assert reply.meta["clarify"] and reply.meta["service"] == "住院费用报销" and "办理时限" in reply.text
    assert {"乐山市", "达州市", "四川省", "湖北省"} <= {b["title"] for b in reply.buttons}
    reply = chat("湖北")
    assert not reply.meta["clarify"] and "不超过15个工作日" in reply.text and reply.meta["region"] == "湖北省"


def test_no_asking_back_for_a_time_limit_every_guide_sets_alike(chat: Chat) -> None:
    reply = chat("出具参保凭证要多久")  # 即时办结 in every guide that is not of its own way (川渝通办)
    assert not reply.meta["clarify"] and "即时办结" in reply.text


def test_a_service_only_one_local_guide_lists_is_answered_from_it_with_no_place(chat: Chat) -> None:
    reply = chat("临时外出就医备案要带啥子")  # only 乐山's guide has 其他临时外出就医人员备案
    assert reply.meta["service"] == "其他临时外出就医人员备案" and "《异地就医登记备案表》" in reply.text
    assert "只有该指南列出此事项" in reply.text and "乐山市医疗保障经办政务服务事项办事指南" in reply.text


def test_city_office_without_the_districts(chat: Chat) -> None:
    reply = chat("达州市本级住院报销电话")
    assert "0818-2144557" in reply.text and "0818-2149082" not in reply.text


def test_a_place_visited_does_not_replace_home(chat: Chat) -> None:
    chat("沙湾区住院报销打哪个电话")
    reply = chat("我在重庆住的院，回来报销要带啥")
    assert reply.meta["region"] == "四川省/乐山市/沙湾区" and "办理材料" in reply.text
    reply = chat("我过两天去成都耍几天，万一要看病，临时外出就医备案打哪个电话")
    assert reply.meta["region"] == "四川省/乐山市/沙湾区" and "0833-3432615" in reply.text


def test_a_place_visited_with_no_home_known_leaves_the_place_unknown(chat: Chat) -> None:
    reply = chat("下周去西安出差半个月，想在那边看病能刷医保，临时外出就医备案当场能办好吗")
    assert reply.meta["service"] == "其他临时外出就医人员备案" and "暂未收录" not in reply.text
    assert "即时办结" in reply.text and "只有该指南列出此事项" in reply.text


def test_a_province_named_is_answered_by_the_one_guide_in_it_that_lists_the_service(chat: Chat) -> None:
    reply = chat("四川临时外出就医备案能在APP上办不")
    assert reply.meta["service"] == "其他临时外出就医人员备案" and "四川医保 APP" in reply.text
    assert "《乐山市办事指南（2024年版）》的规定（只有该指南列出此事项）" in reply.text


def test_no_place_is_asked_where_no_place_would_change_the_number(chat: Chat) -> None:
    reply = chat("门诊费用跨省直接结算的咨询电话是多少")  # only the 川渝 guide has it, with no 咨询电话 anywhere
    assert not reply.meta["clarify"] and reply.meta["service"] == "门诊费用跨省直接结算"
    assert "未列出" in reply.text and "12345" in reply.text
    asked = chat("住院报销打哪个电话")  # the local guides give each district's own
    assert asked.meta["clarify"]


def test_region_picked_by_the_channel(chat: Chat) -> None:
    reply = chat("住院报销打哪个电话", region="峨眉山市")
    assert "0833-5546541" in reply.text


def test_an_app_named_after_its_province_is_no_place_of_insurance(chat: Chat) -> None:
    reply = chat("乐山 产检的钱没结算 能在四川医保app上报不")
    assert reply.meta["region"].startswith("四川省/乐山市")


def test_a_city_named_whose_districts_differ_asks_which(chat: Chat) -> None:
    reply = chat("达州住院报销在哪里办")
    assert reply.meta["clarify"] and {"达州市", "达州市渠县"} <= {b["title"] for b in reply.buttons}
    reply = chat("渠县")
    assert reply.meta["region"] == "四川省/达州市/渠县" and "渠县行政审批局4楼" in reply.text


def test_the_citys_service_centre_is_its_own_office(chat: Chat) -> None:
    reply = chat("在达州市政务服务中心办异地安置退休人员备案，投诉电话")  # where the city's own office sits
    assert "0818-2182953" in reply.text and "0818-2124898" not in reply.text and not reply.meta["clarify"]


def test_some_district_of_a_city_asks_which(chat: Chat) -> None:
    reply = chat("我在乐山下面的县里头，住院报销打哪个电话嘛")
    assert reply.meta["clarify"] and "乐山市沙湾区" in [b["title"] for b in reply.buttons]
    reply = chat("沙湾区")
    assert reply.meta["region"] == "四川省/乐山市/沙湾区" and "0833-3432615" in reply.text


def test_a_township_answers_for_its_district(chat: Chat) -> None:
    reply = chat("我是符溪镇的，住院报销打哪个电话")
    assert reply.meta["region"] == "四川省/乐山市/峨眉山市" and "0833-5546541" in reply.text


def test_a_township_two_local_districts_share_is_asked_back(chat: Chat) -> None:
    reply = chat("我在清溪镇，住院报销打哪个电话")
    assert reply.meta["clarify"] and {b["title"] for b in reply.buttons} >= {"乐山市犍为县", "达州市宣汉县"}
    reply = chat("宣汉县")
    assert "0818-5220985" in reply.text and reply.meta["region"] == "四川省/达州市/宣汉县"


def test_an_old_name_answers_for_the_place_today(chat: Chat) -> None:
    reply = chat("郫县的，住院报销要带啥")
    assert reply.meta["region"] == "四川省/成都市/郫都区" and "办理材料" in reply.text


@pytest.mark.parametrize("text, own, other", [
    ("乐山的，川渝通办医保电子凭证咋个申领", "四川医保电子凭证", "渝快办"),
    ("重庆渝中区的，医保电子凭证咋个申领", "渝快办", "四川医保电子凭证"),
])
def test_chuanyu_answers_carry_only_the_citizens_province(chat: Chat, text: str, own: str, other: str) -> None:
    reply = chat(text)
    assert own in reply.text and other not in reply.text


def test_the_city_level_after_a_district_answers_for_the_citys_own_office(chat: Chat) -> None:
    chat("犍为县住院报销打哪个电话")
    reply = chat("那市本级的呢")
    assert reply.meta["region"] == "四川省/乐山市/市本级" and "0833-2694037" in reply.text
    assert "0833-4253943" not in reply.text  # 犍为县's


def test_the_city_centre_named_gets_its_row_and_no_districts(chat: Chat) -> None:
    reply = chat("达州市医保中心 异地安置备案打哪个电话")
    assert reply.meta["region"] == "四川省/达州市/市本级" and "0818-2182953" in reply.text
    assert "0818-2149082" not in reply.text  # 通川区's


def test_a_province_named_where_its_cities_phones_differ_is_asked_which_city(chat: Chat) -> None:
    reply = chat("四川 门诊慢特病认定 电话多少")
    assert reply.meta["clarify"] and "四川省哪个市" in reply.text
    assert {b["title"] for b in reply.buttons} >= {"乐山市", "达州市"}


def test_a_province_wide_guide_named_lists_no_places_so_is_not_asked_for_one(chat: Chat) -> None:
    reply = chat("川渝通办窗口办转移接续 好久反馈结果")
    assert not reply.meta["clarify"] and "工作日" in reply.text


def test_insured_in_chongqing_living_in_chengdu_gets_chongqings_values(chat: Chat) -> None:
    reply = chat("我是重庆的退休职工 户口迁到成都了 想办异地安置备案 网上咋个办")
    assert reply.meta["region"].startswith("重庆市") and "渝快办" in reply.text and "四川医保 APP" not in reply.text


def test_insured_in_one_province_living_in_the_other_is_told_the_window_where_they_live(chat: Chat) -> None:
    reply = chat("我是重庆的退休职工 户口迁到成都了 异地安置备案要带啥子 在哪里办")
    assert reply.meta["region"].startswith("重庆市") and "四川医保 APP" not in reply.text
    assert "您人在成都市" in reply.text and "“川渝通办”专窗" in reply.text and "《川渝通办办事指南》" in reply.text


def test_numbers_labelled_by_place_narrow_to_the_place_named(chat: Chat) -> None:
    reply = chat("在乐山市人民医院办单行支付药品认定，有没得电话")
    assert "0833-2109203（乐山市人民医院）" in reply.text and "0833-2429292" not in reply.text
    reply = chat("乐山单行支付药品认定电话")  # no hospital named: the city's own (all of them) or a district's
    assert reply.meta["clarify"] and [b["title"] for b in reply.buttons][:2] == ["乐山市", "乐山市五通桥区"]
    reply = chat("乐山市")
    assert "0833-2109203" in reply.text and "0833-2429292" in reply.text


def test_the_online_way_asked_where_is_no_place(
    chat: Chat,
) -> None:
    online = chat("单位派我去深圳常驻 达州医保 常驻异地工作备案网上在哪里办")
    assert not online.meta["clarify"] and "国家医保" in online.text


def test_the_place_one_joins_insurance_in_is_the_region(chat: Chat) -> None:
    joins = chat("四川娃儿在重庆读大学 能在重庆参城乡居民医保不")
    assert joins.meta["region"] == "重庆市" and "在渝高校" in joins.text


def test_the_place_one_moves_from_is_where_one_is_insured(chat: Chat) -> None:
    moving = chat("从达州调到成都上班了 要开参保凭证 要好久")
    assert moving.meta["region"].startswith("四川省/达州市")
    transfer = chat("从成都调到乐山上班，医保关系转过来要好久")  # the insurance itself moves: its new home
    assert transfer.meta["region"].startswith("四川省/乐山市")


def test_a_city_named_with_no_service_asks_which_district_where_its_districts_differ(chat: Chat) -> None:
    reply = chat("达州医保窗口几点下班")  # 宣汉县's hours are not 通川区's
    assert reply.meta["clarify"] and [b["title"] for b in reply.buttons][0] == "达州市"
    district = chat("宣汉县")
    assert not district.meta["clarify"] and "14:30-18:00" in district.text

