"""The 乐山市医疗保障经办政务服务事项办事指南 (2024 年版) (knowledge/sources/000_d0c2ec4bf541ef83.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.parsers import leshan
from bot.kb.parsers.text import read_lines
from bot.kb.records import ContactRow, FieldValue, ParsedGuide, ParsedService, Span

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources" / "000_d0c2ec4bf541ef83.txt"

NAMES = [
    "单位参保登记", "职工参保登记", "城乡居民参保登记", "单位参保信息变更登记", "职工参保信息变更登记",
    "城乡居民参保信息变更登记", "职工基本医疗保险费趸缴清算", "医保电子凭证申领", "参保单位参保信息查询",
    "参保人员参保信息查询", "参保人员个人账户一次性支取", "基本医疗保险关系转移接续", "异地安置退休人员备案",
    "异地长期居住人员备案", "常驻异地工作人员备案", "异地转诊人员备案", "其他临时外出就医人员备案",
    "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "单行支付药品、高值药品支付管理病种待遇认定",
    "门诊费用报销", "住院费用报销", "产前检查费支付", "生育医疗费支付", "计划生育医疗费支付", "生育津贴支付",
    "符合资助条件的救助对象参加城乡居民基本医疗保险个人缴费补贴", "医疗救助对象手工（零星）报销",
    "医疗机构申请定点协议管理", "零售药店申请定点协议管理", "定点医药机构信息变更",
    "定点医药机构申请中止/终止协议管理", "定点医药机构申请恢复协议管理", "基本医疗保险定点医疗机构费用结算",
    "基本医疗保险定点零售药店费用结算",
]
DISTRICTS = ["市中区", "沙湾区", "五通桥区", "金口河区", "井研县", "夹江县", "犍为县", "沐川县", "峨边县", "马边县",
             "峨眉山市"]


@pytest.fixture(scope="module")
def guide() -> ParsedGuide:
    return leshan.parse(read_lines(SOURCE))


def service(guide: ParsedGuide, name: str) -> ParsedService:
    return next(s for s in guide.services if s.name == name)


def value(svc: ParsedService, key: str) -> FieldValue:
    return next(f for f in svc.fields if f.key == key)


def contact(guide: ParsedGuide, name: str, area: str) -> ContactRow:
    return next(c for c in service(guide, name).contacts if c.area == area)


def anomalies(guide: ParsedGuide, kind: str) -> list[tuple[str | None, int]]:
    return [(a.service, a.span.start) for a in guide.anomalies if a.kind == kind]


def test_services_in_order_with_exact_names(guide: ParsedGuide) -> None:
    assert [s.name for s in guide.services] == NAMES
    assert [s.seq for s in guide.services] == list(range(1, 35))
    assert guide.services[0].span == Span(7, 86)  # 附件 and the guide's title (lines 3, 5) are no service
    assert service(guide, "基本医疗保险参保人员享受门诊慢特病病种待遇认定").span == Span(1274, 1351)
    assert guide.services[-1].span == Span(2543, 2612)  # the document footer (2614-2618) is not part of it
    assert not anomalies(guide, "name_mismatch")


def test_fields_found_by_heading_text(guide: ParsedGuide) -> None:
    assert [f.key for f in service(guide, "单位参保登记").fields] == [
        "target", "channels", "materials", "time_limit", "steps", "progress", "evaluation", "remarks"]
    query = service(guide, "参保人员参保信息查询")  # "七、服务评价渠道", "八、备注"
    assert [(f.key, f.label) for f in query.fields][-2:] == [("evaluation", "七、服务评价渠道"), ("remarks", "八、备注")]
    assert value(query, "remarks").text == "委托办理的，应提供委托人及代理人身份证件原件。"
    assert value(query, "remarks").span == Span(711, 713)


def test_materials(guide: ParsedGuide) -> None:
    inpatient = value(service(guide, "住院费用报销"), "materials")
    assert inpatient.items == ["有效身份证件或医保电子凭证或社会保障卡；", "医院收费票据；", "住院费用清单；", "出院记录；",
                               "参保人银行账户信息。"]
    assert inpatient.span == Span(1533, 1540)
    assert value(service(guide, "单位参保信息变更登记"), "materials").items == [
        "《基本医疗保险参保单位信息变更登记表》（加盖单位公章）。"]
    none = value(service(guide, "医保电子凭证申领"), "materials")
    assert (none.text, none.items) == ("无", [])
    clinic = value(service(guide, "医疗机构申请定点协议管理"), "materials")
    assert len(clinic.items) == 5 and clinic.items[-1] == "纳入定点后使用医疗保障基金的预测性分析报告。"
    assert clinic.text.endswith("（以上办理材料均需加盖单位公章）")
    drugs = value(service(guide, "单行支付药品、高值药品支付管理病种待遇认定"), "materials")  # "- 1." bullets
    assert drugs.items[1] == "《基本医疗保险单行支付和高值药品病种认定表》；"


def test_time_limits(guide: ParsedGuide) -> None:
    inpatient = value(service(guide, "住院费用报销"), "time_limit")
    assert (inpatient.text, inpatient.span) == ("9个工作日", Span(1542, 1544))
    assert value(service(guide, "单位参保登记"), "time_limit").text == "即时办结"
    assert value(service(guide, "门诊费用报销"), "time_limit").text == "5个工作日"
    assert value(service(guide, "基本医疗保险关系转移接续"), "time_limit").text == "不超过5个工作日"
    assert value(service(guide, "基本医疗保险定点医疗机构费用结算"), "time_limit").text == "不超过15个工作日"
    assert value(service(guide, "定点医药机构申请恢复协议管理"), "time_limit").text == "不超过1个工作日"


def test_steps_remarks_and_wrapped_text(guide: ParsedGuide) -> None:
    steps = value(service(guide, "参保人员个人账户一次性支取"), "steps")
    assert steps.items[3] == "拨付：审核完成后进行拨付；" and len(steps.items) == 5
    assert value(service(guide, "单位参保登记"), "progress").text == (
        "窗口办理的可向经办窗口查询办理进度和结果，网上办理的可通过网上办理渠道查询办理进程和结果，"
        "还可通过拨打咨询电话查询办理结果。")  # wrapped over lines 42-44
    remarks = value(service(guide, "职工参保登记"), "remarks")
    assert len(remarks.items) == 5 and remarks.items[4].startswith("委托办理的")
    allowance = value(service(guide, "生育津贴支付"), "steps")  # "- 5 办结：" without its stop
    assert allowance.items[-1] == "办结：将生育津贴划入参保单位银行账户。" and len(allowance.items) == 5


def test_progress_without_heading_is_recovered(guide: ParsedGuide) -> None:
    staff = service(guide, "职工参保信息变更登记")
    progress = value(staff, "progress")
    assert (progress.label, progress.span) == ("", Span(360, 360))
    assert progress.text.startswith("窗口办理的可向经办窗口查询办理进度和结果")
    assert value(staff, "steps").items[-1] == "办结：符合条件的办理职工参保信息变更登记。"
    chronic = value(service(guide, "基本医疗保险参保人员享受门诊慢特病病种待遇认定"), "progress")
    assert (chronic.label, chronic.span) == ("七、办理进度和结果查询", Span(1308, 1308))  # heading printed at 1351
    assert value(service(guide, "定点医药机构信息变更"), "progress").span == Span(2274, 2274)


def test_remarks_printed_under_evaluation(guide: ParsedGuide) -> None:
    allowance = service(guide, "生育津贴支付")
    remarks = value(allowance, "remarks")
    assert remarks.span == Span(1888, 1891)
    assert remarks.items == ["办理生育保险待遇合并支付的一次性提供材料；", "财政供养单位的非财政供养人员申领生育津贴时，需单位提供承诺书。"]
    assert "evaluation" not in {f.key for f in allowance.fields}


def test_usual_district_phones(guide: ParsedGuide) -> None:
    enrol = service(guide, "单位参保登记")
    assert [c.area for c in enrol.contacts] == DISTRICTS + ["市本级"]
    row = contact(guide, "单位参保登记", "市中区")
    assert row == ContactRow("市中区", Span(62, 62), "属地医保经办机构", "工作日（上午 09:00-12:00下午 13:00-17:00）",
                             ["0833-2096331"], ["0833-2101641"])
    assert contact(guide, "单位参保登记", "市本级").consult == ["0833-2639682"]
    assert contact(guide, "单位参保登记", "峨眉山市").consult == ["0833-5531715"]
    inpatient = contact(guide, "住院费用报销", "峨边县")
    assert (inpatient.consult, inpatient.complaint) == (["0833-5228371"], ["0833-2128273"])
    assert inpatient.span == Span(1593, 1593)
    assert contact(guide, "住院费用报销", "市中区").consult == ["0833-2128816"]
    assert contact(guide, "住院费用报销", "市本级").consult == ["0833-2694037"]
    assert contact(guide, "参保人员参保信息查询", "马边县").hours == "工作日（上午 09:00-12:00 下午 13:00-17:00）"


def test_phones_that_differ_between_services(guide: ParsedGuide) -> None:
    assert contact(guide, "职工参保信息变更登记", "沐川县").consult == ["0833-4696007"]
    assert contact(guide, "职工基本医疗保险费趸缴清算", "沐川县").consult == ["0833-4602380"]
    assert contact(guide, "异地安置退休人员备案", "沐川县").consult == ["0833-4607230"]
    assert contact(guide, "医疗救助对象手工（零星）报销", "井研县").consult == ["0833-3713576"]
    assert contact(guide, "生育津贴支付", "井研县").consult == ["0833-3723599"]
    chronic = contact(guide, "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "市本级")  # "市本级 0833-…", no colon
    assert (chronic.consult, chronic.complaint, chronic.span) == (["0833-2302780"], ["0833-2485162"], Span(1325, 1325))
    assert contact(guide, "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "金口河区").consult == ["0833-2715536"]
    clinic = contact(guide, "医疗机构申请定点协议管理", "市本级")
    assert (clinic.consult, clinic.complaint) == (["0833-2485206"], ["0833-2101641"])
    assert contact(guide, "零售药店申请定点协议管理", "犍为县").consult == ["0833-4011299"]
    assert contact(guide, "生育医疗费支付", "沙湾区").consult == ["0833-3432615"]  # "沙湾区: 0833-…"
    pharmacy = service(guide, "基本医疗保险定点零售药店费用结算")
    assert [c.area for c in pharmacy.contacts] == DISTRICTS  # no 市本级
    assert pharmacy.contacts[0].place == "各区市县医保经办机构"


def test_single_number_and_unlabelled_numbers(guide: ParsedGuide) -> None:
    card = service(guide, "医保电子凭证申领")
    assert card.contacts == [ContactRow("", Span(602, 602), "即时办结", "即时办结", ["0833-2406352"], ["0833-2406352"])]
    drugs = service(guide, "单行支付药品、高值药品支付管理病种待遇认定")
    assert drugs.contacts[0] == ContactRow(
        "", Span(1405, 1408), "属地医保经办机构", "工作日（上午 09：00-12：00 下午 13:00-17:00）",
        ["0833-2270478", "0833-2109203（乐山市人民医院）", "0833-2452713（武警四川总队医院）", "0833-2429292（乐山市中医医院）"],
            ["0833-2485162"])
    assert [c.area for c in drugs.contacts[1:]] == DISTRICTS


def test_anomalies(guide: ParsedGuide) -> None:
    assert anomalies(guide, "misplaced_value") == [("医保电子凭证申领", 598), ("医保电子凭证申领", 600),
                                                   ("生育津贴支付", 1888)]
    assert anomalies(guide, "heading_numeral") == [("参保单位参保信息查询", 639), ("参保人员参保信息查询", 707),
                                                   ("参保人员参保信息查询", 711)]
    assert anomalies(guide, "missing_heading") == [("职工参保信息变更登记", 360),
                                                   ("基本医疗保险参保人员享受门诊慢特病病种待遇认定", 1308),
                                                   ("定点医药机构信息变更", 2274)]
    assert anomalies(guide, "displaced_heading") == [("基本医疗保险参保人员享受门诊慢特病病种待遇认定", 1351),
                                                     ("定点医药机构信息变更", 2317)]
    assert anomalies(guide, "missing_field") == [("参保单位参保信息查询", 608), ("参保人员参保信息查询", 676),
                                                 ("生育津贴支付", 1850)]
    assert anomalies(guide, "unlabelled_area") == [("单行支付药品、高值药品支付管理病种待遇认定", 1405)]
    assert anomalies(guide, "incomplete_steps") == [("计划生育医疗费支付", 1795)]
    assert anomalies(guide, "truncated_text") == [("城乡居民参保登记", 195)]
    assert anomalies(guide, "malformed_marker") == [("生育津贴支付", 1874)]
    assert anomalies(guide, "unplaced_text") == [("基本医疗保险定点零售药店费用结算", 2614)]
    assert len(guide.anomalies) == 19
