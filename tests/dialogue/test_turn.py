"""Dialogue turns on the real knowledge base: the right local answer, asking back only when it matters."""
from __future__ import annotations

from typing import Callable

import pytest

from bot.dialogue.compose import compose
from bot.dialogue.turn import Reply
from bot.kb.lookup import card
from bot.kb.store import KnowledgeBase

Chat = Callable[..., Reply]


def test_district_phone_with_source(chat: Chat) -> None:
    reply = chat("沙湾区的，住院报销打哪个电话")
    assert "咨询电话：0833-3432615" in reply.text
    assert reply.text.endswith("来源：《乐山市医疗保障经办政务服务事项办事指南（2024年版）》")
    assert reply.meta["service"] == "住院费用报销" and reply.meta["region"] == "四川省/乐山市/沙湾区"
    assert reply.card["contact"]["consult"] == ["0833-3432615"] and "0833-3432615" in reply.card["script"]


def test_follow_ups_change_one_slot_and_keep_the_other(chat: Chat) -> None:
    chat("沙湾区住院报销打哪个电话")
    reply = chat("那峨眉山呢？")
    assert "0833-5546541" in reply.text and "0833-3432615" not in reply.text
    reply = chat("那要多久？")
    assert reply.meta["service"] == "住院费用报销" and "办理时限" in reply.text
    reply = chat("换成门诊呢")
    assert reply.meta["service"] == "门诊费用报销" and reply.meta["region"] == "四川省/乐山市/峨眉山市"


def test_several_questions_in_one_message(chat: Chat) -> None:
    reply = chat("宣汉县住院报销要带啥、多久能办好、电话多少")
    assert "办理材料" in reply.text and "办理时限" in reply.text and "咨询电话：0818-5220985" in reply.text


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


def test_another_offices_matter_is_said_to_be_out_of_scope(chat: Chat) -> None:
    reply = chat("驾照过期了换证要带啥")
    assert not reply.meta["clarify"] and not reply.meta["service"] and "12345" in reply.text
    assert "不属于医保经办事项" in reply.text and "off_topic" in reply.meta["gaps"]


def test_contacts_the_guide_of_a_way_lists_for_none_of_its_services(chat: Chat) -> None:
    reply = chat("川渝通办专窗咨询电话多少")
    assert not reply.meta["clarify"] and "《川渝通办办事指南》未列出各事项的咨询电话" in reply.text


def test_a_service_only_one_local_guide_lists_is_answered_from_it_with_no_place(chat: Chat) -> None:
    reply = chat("临时外出就医备案要带啥子")  # only 乐山's guide has 其他临时外出就医人员备案
    assert reply.meta["service"] == "其他临时外出就医人员备案" and "《异地就医登记备案表》" in reply.text
    assert "只有该指南列出此事项" in reply.text and "乐山市医疗保障经办政务服务事项办事指南" in reply.text


def test_asks_which_service_when_candidates_tie_and_takes_a_number(chat: Chat) -> None:
    reply = chat("备案要带什么")
    assert reply.meta["clarify"] and len(reply.buttons) >= 5
    titles = [b["title"] for b in reply.buttons]
    reply = chat("2")
    assert reply.meta["service"] == titles[1] and "办理材料" in reply.text


def test_no_asking_back_when_every_candidate_has_the_same_number(chat: Chat) -> None:
    reply = chat("峨边报销打哪个电话")
    assert not reply.meta["clarify"] and "0833-5228371" in reply.text


def test_city_office_without_the_districts(chat: Chat) -> None:
    reply = chat("达州市本级住院报销电话")
    assert "0818-2144557" in reply.text and "0818-2149082" not in reply.text


def test_online_ways_from_the_list_name_the_list(chat: Chat) -> None:
    reply = chat("西昌的，医保上留的手机号换了，能在手机上改不")
    assert "经办机构窗口" in reply.text  # the guide's own 办理渠道
    assert "备注（《四川省医疗保障经办政务服务事项清单" in reply.text and "四川医保APP" in reply.text


def test_where_names_the_accepting_body(chat: Chat) -> None:
    reply = chat("荆州要转诊到北京看病，转诊备案除了医保局还能在哪里办")
    assert "受理单位：\n各级医保经办机构或当地定点医疗机构" in reply.text


def test_complaints_without_a_number_get_the_guides_remedy(chat: Chat) -> None:
    reply = chat("重庆异地安置备案一直办不下来，去哪里反映")
    assert "可到当地政务服务大厅咨询反映" in reply.text and "12345" in reply.text


@pytest.mark.parametrize(("text", "service", "topic"), [
    ("乐山住院报销比例是好多，能报百分之几", "住院费用报销", "报销比例"),
    ("城乡居民医保今年一年交好多钱", None, "缴费标准"),
    ("社保卡搞掉了咋个补办", None, "社会保障卡补办"),
    ("四川城乡居民医保啥时候缴费截止", "城乡居民参保登记", "缴费时间"),
    ("职工医保退休时要交满多少年才能享受待遇", "职工基本医疗保险费趸缴", "缴费年限"),  # 趸缴 makes the years up
    ("达州门特有哪些病可以认定嘛", "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "病种范围"),
])
def test_what_no_guide_holds_is_said_plainly(chat: Chat, text: str, service: str | None, topic: str) -> None:
    reply = chat(text)
    assert topic in reply.text and "12345" in reply.text and not reply.meta["clarify"]
    assert reply.meta["service"] == service
    if service and reply.meta["region"]:  # the local office's number to ask, from the guide that was named
        assert f"未列出{service}的{topic}" in reply.text and "咨询电话" in reply.text


def test_a_street_address_the_guide_does_not_give_is_said_so(chat: Chat) -> None:
    reply = chat("我是市中区的，想直接去医保窗口办事，医保经办的地方具体在哪条街、好多号嘛")
    assert "办理地点：属地医保经办机构" in reply.text and "未列出乐山市市中区医保经办机构的街道门牌地址" in reply.text
    reply = chat("宣汉县住院报销具体地址在哪")  # 达州's guide gives streets: nothing to excuse
    assert "解放中路591号" in reply.text and "门牌" not in reply.text


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


def test_no_phone_in_the_guide_is_said_plainly(chat: Chat) -> None:
    reply = chat("武汉城乡居民参保登记打哪个电话")
    assert "未列出" in reply.text and "12345" in reply.text
    assert "《湖北省" in reply.text and "0833" not in reply.text and "0818" not in reply.text


def test_no_place_is_asked_where_no_place_would_change_the_number(chat: Chat) -> None:
    reply = chat("门诊费用跨省直接结算的咨询电话是多少")  # only the 川渝 guide has it, with no 咨询电话 anywhere
    assert not reply.meta["clarify"] and reply.meta["service"] == "门诊费用跨省直接结算"
    assert "未列出" in reply.text and "12345" in reply.text
    asked = chat("住院报销打哪个电话")  # the local guides give each district's own
    assert asked.meta["clarify"]


def test_conflicting_time_limits_are_both_given(chat: Chat) -> None:
    reply = chat("成都门诊报销要多久")  # the 四川 指南 says 30 working days, its 清单 20
    assert "不超过30个工作日" in reply.text and "不超过20个工作日" in reply.text and "不一致" in reply.text
    forms = chat("达州医疗救助零星报销要带啥子材料")  # the 指南 asks for a 申请卡, the 清单 for a 申请表
    assert "《医疗救助申请卡》" in forms.text and "《医疗救助申请表》" in forms.text and "不一致" in forms.text


def test_region_picked_by_the_channel(chat: Chat) -> None:
    reply = chat("住院报销打哪个电话", region="峨眉山市")
    assert "0833-5546541" in reply.text


def test_outside_the_guides_says_what_is_covered(chat: Chat) -> None:
    reply = chat("海口市住院报销要带什么")
    assert "暂未收录" in reply.text and "12345" in reply.text


def test_a_question_about_insurance_in_general_asks_which_service(chat: Chat) -> None:
    reply = chat("你好 我想咨询一下医保的事情", intent="nlu_fallback")
    assert reply.meta["clarify"] and "哪一项医保业务" in reply.text


def test_nothing_understood_says_what_can_be_asked(chat: Chat) -> None:
    reply = chat("嗯嗯嗯啊", intent="nlu_fallback")
    assert reply.meta["clarify"] and "沙湾区住院报销打哪个电话" in reply.text


def test_no_insurance_matter_is_said_to_be_out_of_scope(chat: Chat) -> None:
    reply = chat("今天天气怎么样", intent="out_of_scope")
    assert not reply.meta["clarify"] and "不属于医保经办事项" in reply.text and "12345" in reply.text


def test_a_follow_up_in_the_guides_words_stays_on_the_service(chat: Chat) -> None:
    chat("湖北计划生育医疗费支付要哪些材料", intent="ask_materials")
    reply = chat("没得结婚证咋办", intent="out_of_scope")  # the intent model alone calls it out of scope
    assert reply.meta["service"] == "计划生育医疗费支付" and "个人承诺书" in reply.text
    reply = chat("公积金提取要带啥", intent="ask_materials")  # another office's: not the kept service's
    assert not reply.meta["service"] and "不属于医保经办事项" in reply.text


def test_nothing_but_latin_letters_or_marks_is_asked_again(chat: Chat) -> None:
    for text in ("asdkjh", "？？"):
        reply = chat(text, intent="out_of_scope")
        assert reply.meta["clarify"] and "没有听懂" in reply.text


def test_an_app_named_after_its_province_is_no_place_of_insurance(chat: Chat) -> None:
    reply = chat("乐山 产检的钱没结算 能在四川医保app上报不")
    assert reply.meta["region"].startswith("四川省/乐山市")


def test_tied_services_of_the_way_named_that_answer_alike_are_not_asked_about(chat: Chat) -> None:
    reply = chat("川渝通办 异地备案办得不好 投诉打哪个")
    assert not reply.meta["clarify"] and "的答案相同" in reply.text and "12345" in reply.text


def test_a_city_named_whose_districts_differ_asks_which(chat: Chat) -> None:
    reply = chat("达州住院报销在哪里办")
    assert reply.meta["clarify"] and {"达州市", "达州市渠县"} <= {b["title"] for b in reply.buttons}
    reply = chat("渠县")
    assert reply.meta["region"] == "四川省/达州市/渠县" and "渠县行政审批局4楼" in reply.text



def test_the_citys_service_centre_is_its_own_office(chat: Chat) -> None:
    reply = chat("在达州市政务服务中心办异地安置退休人员备案，投诉电话")  # where the city's own office sits
    assert "0818-2182953" in reply.text and "0818-2124898" not in reply.text and not reply.meta["clarify"]


def test_a_field_the_guide_leaves_out_is_said_so_beside_what_another_guide_says(chat: Chat) -> None:
    reply = chat("乐山办异地长期居住备案要交钱不")
    assert "《乐山市办事指南（2024年版）》未列出收费" in reply.text and "收费（《川渝通办办事指南》）" in reply.text


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


def test_asking_back_offers_choices_as_buttons_and_numbers_none(chat: Chat) -> None:
    """Numbering is the text-only channels' job (bot.channels.wechat_format), so no choice is numbered twice."""
    reply = chat("备案要带什么")
    assert reply.meta["clarify"] and reply.buttons and "1. " not in reply.text


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


def test_a_topic_no_guide_holds_beside_a_question_it_answers_gets_both(chat: Chat) -> None:
    reply = chat("我提前退休 医保缴费年限不够 单位说要一次性补齐 我住苏稽 要带啥子")
    assert "办理材料" in reply.text and "缴费年限" in reply.text and "12345" in reply.text
    assert reply.meta["region"] == "四川省/乐山市/市中区"


def test_another_service_with_ne_asks_the_same_and_the_new_question(chat: Chat) -> None:
    chat("渠县门诊慢特病认定电话多少")
    reply = chat("两病认定呢 要多久")
    assert "高血压" in reply.meta["service"] and "办理时限" in reply.text and "咨询电话" in reply.text


def test_where_the_money_goes_is_answered_by_the_steps_when_no_delivery_is_listed(chat: Chat) -> None:
    reply = chat("达州生育津贴是打给单位还是打给个人 要多久")
    assert "办理时限" in reply.text and "参保单位的银行账户" in reply.text


def test_insured_in_chongqing_living_in_chengdu_gets_chongqings_values(chat: Chat) -> None:
    reply = chat("我是重庆的退休职工 户口迁到成都了 想办异地安置备案 网上咋个办")
    assert reply.meta["region"].startswith("重庆市") and "渝快办" in reply.text and "四川医保 APP" not in reply.text


def test_a_lost_card_is_said_to_be_outside_the_guides(chat: Chat) -> None:
    reply = chat("医保卡掉了 咋个补办")
    assert "社会保障卡补办" in reply.text and "12345" in reply.text and not reply.meta["clarify"]


def test_insured_in_one_province_living_in_the_other_is_told_the_window_where_they_live(chat: Chat) -> None:
    reply = chat("我是重庆的退休职工 户口迁到成都了 异地安置备案要带啥子 在哪里办")
    assert reply.meta["region"].startswith("重庆市") and "四川医保 APP" not in reply.text
    assert "您人在成都市" in reply.text and "“川渝通办”专窗" in reply.text and "《川渝通办办事指南》" in reply.text


def test_a_complaint_about_a_window_gets_the_complaint_number_not_the_windows(kb: KnowledgeBase) -> None:
    text = compose(card(kb, "城乡居民参保登记", "四川省/达州市/达川区"), ["complaint_phone", "place"], True)
    assert "0818-5336007" in text and "0818-5336833" not in text and "办理地点" in text


def test_numbers_labelled_by_place_narrow_to_the_place_named(chat: Chat) -> None:
    reply = chat("在乐山市人民医院办单行支付药品认定，有没得电话")
    assert "0833-2109203（乐山市人民医院）" in reply.text and "0833-2429292" not in reply.text
    reply = chat("乐山单行支付药品认定电话")  # no hospital named: the city's own (all of them) or a district's
    assert reply.meta["clarify"] and [b["title"] for b in reply.buttons][:2] == ["乐山市", "乐山市五通桥区"]
    reply = chat("乐山市")
    assert "0833-2109203" in reply.text and "0833-2429292" in reply.text


def test_a_detail_the_citizen_names_is_answered_by_the_guides_sentence_on_it(chat: Chat) -> None:
    reply = chat("宣汉县药店医保结算是按季度结算吗")  # the 办理时间 cell of 宣汉县's row says (季度结算）
    assert "“季度”" in reply.text and "办理时间（宣汉县）" in reply.text and "(季度结算）" in reply.text
    plain = chat("宣汉县药店医保结算要带啥材料")  # no detail beyond the service and the aspect
    assert "关于您问到的" not in plain.text


def test_a_guide_named_by_its_way_holds_for_follow_ups_until_a_place_is_named(chat: Chat) -> None:
    chat("川渝通办转移接续要带啥")
    reply = chat("好久办好")  # the 川渝通办 guide's time limit, not "各地规定不同"
    assert not reply.meta["clarify"] and "20个工作日" in reply.text and "《川渝通办" in reply.text
    local = chat("那沙湾区呢")
    assert "《乐山市" in local.text


def test_which_app_is_said_to_be_listed_nowhere_when_the_guide_names_none(chat: Chat) -> None:
    reply = chat("湖北异地安置备案用哪个APP")  # the 湖北 guide only promises to publish "手机 APP 下载地址"
    assert "未列出具体的APP" in reply.text and "12345" in reply.text
    named = chat("乐山城乡居民参保登记用哪个APP")  # 乐山's names 四川医保 APP
    assert "四川医保 APP" in named.text and "未列出具体的APP" not in named.text
    plain = chat("湖北异地安置备案能网上办不")  # whether, not which: the channels answer it
    assert "未列出具体的APP" not in plain.text


def test_the_deciding_body_is_said_beside_the_accepting_one(chat: Chat) -> None:
    reply = chat("川渝通办转移接续在哪里办，最后哪边审批")  # accepted at the 专窗, decided where it moves to
    assert "受理单位" in reply.text and "决定机构：\n转入地区医疗保障部门" in reply.text


def test_services_tied_with_no_place_are_asked_about_where_guides_set_the_time_limit_differently(
    chat: Chat,
) -> None:
    reply = chat("结算好久到账")  # 药店 and 医疗机构 结算 agree in the 四川 指南, not in every guide
    assert reply.meta["clarify"]
    lone = chat("定点的事情咋个弄")  # one option from another guide than the rest shares no answer with them
    assert "的答案相同" not in lone.text


def test_the_online_way_asked_where_is_no_place(
    chat: Chat,
) -> None:
    online = chat("单位派我去深圳常驻 达州医保 常驻异地工作备案网上在哪里办")
    assert not online.meta["clarify"] and "国家医保" in online.text


def test_the_place_one_joins_insurance_in_is_the_region(chat: Chat) -> None:
    joins = chat("四川娃儿在重庆读大学 能在重庆参城乡居民医保不")
    assert joins.meta["region"] == "重庆市" and "在渝高校" in joins.text
