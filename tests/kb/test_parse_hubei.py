"""The 湖北省 guide parser against the real source file (knowledge/sources/004_83cfbee7835dec45.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.parsers.hubei import parse
from bot.kb.parsers.text import read_lines
from bot.kb.records import FieldValue, ParsedGuide, ParsedService, Span

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources" / "004_83cfbee7835dec45.txt"

NAMES = [
    "单位参保登记", "职工参保登记", "城乡居民参保登记", "单位参保信息变更登记", "职工参保信息变更登记",
    "城乡居民参保信息变更登记", "参保单位参保信息查询", "参保人员参保信息查询", "参保人员个人账户一次性支取",
    "出具《参保凭证》", "转移接续手续办理", "异地安置退休人员备案", "异地长期居住人员备案", "常驻异地工作人员备案",
    "异地转诊人员备案", "基本医疗保险参保人员享受门诊慢特病病种待遇认定", "门诊费用报销", "住院费用报销",
    "产前检查费支付", "生育医疗费支付", "计划生育医疗费支付", "生育津贴支付",
    "符合资助条件的救助对象参加城乡居民基本医疗保险个人缴费补贴", "医疗救助对象手工（零星）报销",
    "医疗机构申请定点协议管理", "零售药店申请定点协议管理", "基本医疗保险定点医疗机构费用结算",
    "基本医疗保险定点零售药店费用结算",
]
KEYS = ["accepting_body", "target", "channels", "steps", "materials", "time_limit", "consult_channel",
        "supervision", "evaluation"]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read_lines(SOURCE)


@pytest.fixture(scope="module")
def guide(lines: list[str]) -> ParsedGuide:
    return parse(lines)


def service(guide: ParsedGuide, seq: int) -> ParsedService:
    found = guide.services[seq - 1]
    assert found.seq == seq
    return found


def value(svc: ParsedService, key: str) -> FieldValue:
    return next(f for f in svc.fields if f.key == key)


def test_twenty_eight_numbered_services_with_exact_names(guide: ParsedGuide) -> None:
    assert [s.name for s in guide.services] == NAMES
    assert [s.seq for s in guide.services] == list(range(1, 29))
    assert service(guide, 1).span == Span(7, 52)  # title to 评价渠道, without the flowchart on 54-56
    assert service(guide, 28).span == Span(1446, 1488)
    assert service(guide, 16).span.start == 794  # title printed "…门诊慢特病 病种待遇认定"
    assert [a.kind for a in guide.anomalies] == ["flowchart_text", "flowchart_text"]  # no gap, no odd heading


def test_every_service_has_the_ten_headings_in_order(guide: ParsedGuide) -> None:
    for svc in guide.services:
        keys = [f.key for f in svc.fields if f.key != "remarks"]
        assert keys == KEYS, svc.name
        assert all(f.scope is None for f in svc.fields)


def test_time_limits(guide: ParsedGuide) -> None:
    staff = value(service(guide, 2), "time_limit")
    assert (staff.text, staff.span) == ("在职职工不超过5个工作日；灵活就业人员即时办结", Span(93, 95))
    assert value(service(guide, 1), "time_limit").text == "即时办结"
    assert value(service(guide, 9), "time_limit").text == "不超过15个工作日"
    assert value(service(guide, 11), "time_limit").text == "不超过20个工作日"
    assert value(service(guide, 25), "time_limit").text == "不超过90个工作日"
    assert value(service(guide, 27), "time_limit").text == "不超过30个工作日"


def test_materials(guide: ParsedGuide) -> None:
    first = value(service(guide, 1), "materials")
    assert first.span == Span(32, 35)
    assert first.items == ["统一社会信用代码证书或单位批准成立的文件;", "《基本医疗保险单位参保信息登记表》（加盖单位公章）。"]
    assert value(service(guide, 2), "materials").items == [
        "在职职工：①《职工基本医疗保险参保登记表》（含增加、中断、终止、恢复、在职转退休）（加盖单位公项）"
        "②参保人员有效身份证件复印件；",  # "公项" as printed
        "灵活就业人员：①有效身份证件②《职工基本医疗保险参保登记表》。",
    ]
    change = value(service(guide, 5), "materials")  # items 2 and 3 printed as "- 2.…", "- 3.…"
    assert change.items[1] == "《基本医疗保险职工参保信息变更登记表》（关键信息变更加盖单位公章）；"
    assert not any(line.startswith("-") for line in change.text.splitlines())
    assert value(service(guide, 8), "materials").items == ["医保电子凭证（或有效身份证件、社会保障卡）。"]
    assert value(service(guide, 11), "materials").items[2] == "《基本医疗保险关系转移接续申请表》。"
    assert value(service(guide, 25), "materials").text == "办理材料按照两定机构协议管理办法和经办规程执行。"


def test_notes_under_materials_become_remarks(guide: ParsedGuide) -> None:
    outpatient = service(guide, 17)
    assert len(value(outpatient, "materials").items) == 5
    remarks = value(outpatient, "remarks")
    assert (remarks.label, remarks.text, remarks.span) == ("备注", "使用限制药品需提供相关医学检查材料。", Span(882, 882))
    prenatal = service(guide, 19)  # item 5 has no final stop: the note must not be glued to it
    assert value(prenatal, "materials").items[-1] == "待遇享受人（或单位）提供的银行账户资料"
    assert value(prenatal, "remarks").text.startswith("医疗保障经办业务平台如无法通过其他部门获得相关证明等")
    assert [s.seq for s in guide.services if any(f.key == "remarks" for f in s.fields)] == [17, 19, 20, 21, 22]


def test_steps_and_channels(guide: ParsedGuide) -> None:
    steps = value(service(guide, 11), "steps")
    assert len(steps.items) == 4
    assert steps.items[3] == "转入地经办机构接收《信息表》，同时接收个人账户资金，在 5 个工作日内完成参保人个人账户资金划转，并反馈办理结果。"
    hospital = value(service(guide, 25), "steps")  # item 4 wrapped over 1313-1315
    assert hospital.items[3] == "医保经办机构与新增医疗机构签订服务协议，并向社会公布新增协议定点医疗机构信息。"
    channels = value(service(guide, 17), "channels")
    assert channels.items[0] == "现场办理：通过医保经办机构或委托的定点医疗机构办理、反馈；"


def test_flowchart_words_are_dropped(guide: ParsedGuide) -> None:
    texts = [f.text for s in guide.services for f in s.fields]
    assert not any("流程图" in t or "需要补正申请材料" in t for t in texts)
    assert value(service(guide, 1), "evaluation").text == (
        "开展现场评价（评价器）、互联网评价、第三方评价等多种形式相结合的评价，并向社会公布。")
    assert value(service(guide, 10), "evaluation").text == "开展现场评价（评价器）、互联网评价、第三方评价等。"
    assert value(service(guide, 27), "evaluation").span == Span(1436, 1438)
    dropped = [(a.service, a.span) for a in guide.anomalies if a.kind == "flowchart_text"]
    assert dropped == [("单位参保登记", Span(56, 56)), ("基本医疗保险定点医疗机构费用结算", Span(1442, 1442))]


def test_consult_and_supervision_are_texts_without_contacts(guide: ParsedGuide) -> None:
    for svc in guide.services:
        assert svc.contacts == [] and svc.codes == {} and svc.group is None
        assert value(svc, "consult_channel").text == "各级医保经办机构向社会公布的咨询电话、现场经办窗口。"
        assert value(svc, "supervision").text == "各级医保部门向社会公布的监督电话。"
    supervision = value(service(guide, 1), "supervision")
    assert (supervision.label, supervision.span) == ("监督电话", Span(45, 48))


def test_a_numbering_gap_is_reported(lines: list[str]) -> None:
    changed = list(lines)
    changed[218] = "6. 职工参保信息变更登记"  # was "5. …"
    parsed = parse(changed)
    gaps = [(a.kind, a.service, a.message) for a in parsed.anomalies if a.kind == "out_of_order"]
    assert gaps[0] == ("out_of_order", "职工参保信息变更登记", "service numbered 6, expected 5")
