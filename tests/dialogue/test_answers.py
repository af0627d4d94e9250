"""What an answer says, on the real knowledge base: the local numbers with their source, both values where the
清单 and its 指南 differ, the guide's own sentences, "not listed" where it lists nothing."""
from __future__ import annotations

from typing import Callable

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


def test_several_questions_in_one_message(chat: Chat) -> None:
    reply = chat("宣汉县住院报销要带啥、多久能办好、电话多少")
    assert "办理材料" in reply.text and "办理时限" in reply.text and "咨询电话：0818-5220985" in reply.text


def test_contacts_the_guide_of_a_way_lists_for_none_of_its_services(chat: Chat) -> None:
    reply = chat("川渝通办专窗咨询电话多少")
    assert not reply.meta["clarify"] and "《川渝通办办事指南》未列出各事项的咨询电话" in reply.text


def test_online_ways_from_the_list_name_the_list(chat: Chat) -> None:
    reply = chat("西昌的，医保上留的手机号换了，能在手机上改不")
    assert "经办机构窗口" in reply.text  # the guide's own 办理渠道
    assert "备注（《四川省医疗保障经办政务服务事项清单" in reply.text and "四川医保APP" in reply.text


def test_where_names_the_accepting_body(chat: Chat) -> None:
    reply = chat("荆州要转诊到北京看病，转诊备案除了医保局还能在哪里办")
    assert "受理单位：\n各级医保经办机构或当地定点医疗机构" in reply.text
    department = chat("渠县民营医院想开通异地就医直接结算 受理科室和电话是啥")  # the department: the place
    assert "办理地点" in department.text and "0818-7215885" in department.text


def test_complaints_without_a_number_get_the_guides_remedy(chat: Chat) -> None:
    reply = chat("重庆异地安置备案一直办不下来，去哪里反映")
    assert "可到当地政务服务大厅咨询反映" in reply.text and "12345" in reply.text


def test_a_street_address_the_guide_does_not_give_is_said_so(chat: Chat) -> None:
    reply = chat("我是市中区的，想直接去医保窗口办事，医保经办的地方具体在哪条街、好多号嘛")
    assert "办理地点：属地医保经办机构" in reply.text and "未列出乐山市市中区医保经办机构的街道门牌地址" in reply.text
    reply = chat("宣汉县住院报销具体地址在哪")  # 达州's guide gives streets: nothing to excuse
    assert "解放中路591号" in reply.text and "门牌" not in reply.text


def test_no_phone_in_the_guide_is_said_plainly(chat: Chat) -> None:
    reply = chat("武汉城乡居民参保登记打哪个电话")
    assert "未列出" in reply.text and "12345" in reply.text
    assert "《湖北省" in reply.text and "0833" not in reply.text and "0818" not in reply.text


def test_conflicting_time_limits_are_both_given(chat: Chat) -> None:
    reply = chat("成都门诊报销要多久")  # the 四川 指南 says 30 working days, its 清单 20
    assert "不超过30个工作日" in reply.text and "不超过20个工作日" in reply.text and "不一致" in reply.text
    forms = chat("达州医疗救助零星报销要带啥子材料")  # the 指南 asks for a 申请卡, the 清单 for a 申请表
    assert "《医疗救助申请卡》" in forms.text and "《医疗救助申请表》" in forms.text and "不一致" in forms.text


def test_a_field_the_guide_leaves_out_is_said_so_beside_what_another_guide_says(chat: Chat) -> None:
    reply = chat("乐山办异地长期居住备案要交钱不")
    assert "《乐山市办事指南（2024年版）》未列出收费" in reply.text and "收费（《川渝通办办事指南》）" in reply.text


def test_a_complaint_about_a_window_gets_the_complaint_number_not_the_windows(kb: KnowledgeBase) -> None:
    text = compose(card(kb, "城乡居民参保登记", "四川省/达州市/达川区"), ["complaint_phone", "place"], True)
    assert "0818-5336007" in text and "0818-5336833" not in text and "办理地点" in text


def test_a_detail_the_citizen_names_is_answered_by_the_guides_sentence_on_it(chat: Chat) -> None:
    reply = chat("宣汉县药店医保结算是按季度结算吗")  # the 办理时间 cell of 宣汉县's row says (季度结算）
    # said as the detail's sentence, or within the 办理时间 where the model reads the question as one of hours
    assert "(季度结算）" in reply.text and ("“季度”" in reply.text or "hours" in reply.slots["aspects"])
    plain = chat("宣汉县药店医保结算要带啥材料")  # no detail beyond the service and the aspect
    assert "关于您问到的" not in plain.text


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


def test_where_the_money_goes_is_answered_by_the_steps_when_no_delivery_is_listed(chat: Chat) -> None:
    reply = chat("达州生育津贴是打给单位还是打给个人 要多久")
    assert "办理时限" in reply.text and "参保单位的银行账户" in reply.text
