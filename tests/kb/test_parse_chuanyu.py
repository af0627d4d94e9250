"""The 川渝通办 guide parser against the real source file (knowledge/sources/003_38193d319b438894.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.parsers.chuanyu import parse
from bot.kb.parsers.text import read_lines
from bot.kb.records import FieldValue, ParsedGuide, ParsedService, Span

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources" / "003_38193d319b438894.txt"

NAMES = [
    "医保电子凭证申领", "异地安置退休人员备案", "异地长期居住人员备案", "常驻异地工作人员备案", "异地转诊人员备案",
    "城乡居民参保登记", "职工参保信息变更登记", "城乡居民参保信息变更登记", "出具《参保凭证》", "转移接续手续办理",
    "医保定点医疗机构基础信息变更", "门诊费用跨省直接结算",
]
GROUPS = {
    "异地就医结算备案": ["异地安置退休人员备案", "异地长期居住人员备案", "常驻异地工作人员备案", "异地转诊人员备案"],
    "基本医疗保险参保信息变更": ["职工参保信息变更登记", "城乡居民参保信息变更登记"],
    "基本医疗保险关系转移接续": ["出具《参保凭证》", "转移接续手续办理"],
}


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read_lines(SOURCE)


@pytest.fixture(scope="module")
def guide(lines: list[str]) -> ParsedGuide:
    return parse(lines)


def service(guide: ParsedGuide, name: str) -> ParsedService:
    return next(s for s in guide.services if s.name == name)


def values(svc: ParsedService, key: str) -> dict[str | None, FieldValue]:
    """The values of one field by scope (None for the text both regions share)."""
    found = {f.scope: f for f in svc.fields if f.key == key}
    assert found, f"{svc.name} has no {key}"
    return found


def test_twelve_services_with_exact_names(guide: ParsedGuide) -> None:
    assert [s.name for s in guide.services] == NAMES
    assert [s.seq for s in guide.services] == list(range(1, 13))
    assert guide.services[0].span == Span(1, 113)
    assert service(guide, "异地安置退休人员备案").span == Span(116, 263)
    assert service(guide, "转移接续手续办理").span == Span(1309, 1458)  # title right after the page number "- 39 -"
    assert guide.services[-1].span == Span(1582, 1692)  # the forms start on 1693


def test_group_headings_are_told_from_field_headings(guide: ParsedGuide) -> None:
    grouped = {name: group for group, names in GROUPS.items() for name in names}
    for svc in guide.services:
        assert svc.group == grouped.get(svc.name), svc.name
    # groups of one (" 一、医保电子凭证申领", " 三、城乡居民参保登记" …) title their only service
    assert service(guide, "城乡居民参保登记").span.start == 715
    # a group heading is not glued to the last field of the service before it
    assert values(guide.services[0], "progress")[None].text == "通过网上办理渠道自行查询办理进度和结果。"
    assert values(service(guide, "城乡居民参保信息变更登记"), "progress")[None].text.endswith("查询办理进程和结果。")
    assert not [a for a in guide.anomalies if a.kind in ("out_of_order", "missing_field", "name_mismatch")]


def test_codes_per_region(guide: ParsedGuide) -> None:
    assert service(guide, "医保电子凭证申领").codes == {"四川省": "512036001008"}  # 重庆市：无
    assert service(guide, "异地安置退休人员备案").codes == {"四川省": "512036005001", "重庆市": "502036004001"}
    assert service(guide, "城乡居民参保登记").codes == {"四川省": "512036001003", "重庆市": "502036001011"}
    assert service(guide, "医保定点医疗机构基础信息变更").codes == {"四川省": "512036010003", "重庆市": "502036009001"}
    assert service(guide, "门诊费用跨省直接结算").codes == {}  # 四川省：无；重庆市：无
    no_code = {a.service: a.message for a in guide.anomalies if a.kind == "no_code"}
    assert no_code == {"医保电子凭证申领": "no 事项编码 for 重庆市", "门诊费用跨省直接结算": "no 事项编码 for 四川省、重庆市"}


def test_dates_per_region(guide: ParsedGuide) -> None:
    dates = values(guide.services[0], "dates")
    assert {scope: (v.text, v.span) for scope, v in dates.items()} == {
        "四川省": ("2021-03-09", Span(9, 9)), "重庆市": ("2021-07-14", Span(9, 9))}
    assert values(service(guide, "职工参保信息变更登记"), "dates")[None].text == "2020-08-27"
    assert values(guide.services[-1], "dates")[None].text == "四川省、重庆市：2021-02-25"


def test_channels_of_the_electronic_voucher_per_region(guide: ParsedGuide) -> None:
    channels = values(service(guide, "医保电子凭证申领"), "channels")
    assert list(channels) == [None, "四川省", "重庆市"]
    assert channels[None].text == "网上办理"
    chongqing = channels["重庆市"]
    assert "渝快办" in chongqing.text and chongqing.span == Span(60, 64)
    assert chongqing.text == ("参保人员可通过登录国家医保服务平台 APP、渝快办 APP、重庆市医疗保障局微信公众号、"
                              "支付宝重庆医保电子凭证小程序或微信重庆医保电子凭证小程序办理。")
    assert "渝快办" not in channels["四川省"].text
    assert channels["四川省"].text.startswith("参保人员可通过登录国家医保服务平台 APP、支付宝四川医保电子凭证小程序")


def test_sentences_about_one_province_each_become_values_per_province(guide: ParsedGuide) -> None:
    """The steps of 医保电子凭证申领 say in one paragraph how each province's insured apply."""
    steps = values(service(guide, "医保电子凭证申领"), "steps")
    assert list(steps) == ["四川省", "重庆市"]  # no shared value repeating both
    sichuan, chongqing = steps["四川省"], steps["重庆市"]
    assert sichuan.span == chongqing.span  # both from the same source lines
    assert sichuan.items[0].startswith("申请") and "渝快办" not in sichuan.text and "四川医保电子凭证" in sichuan.text
    assert chongqing.items[0].startswith("申请") and "渝快办" in chongqing.text and "四川医保" not in chongqing.text
    assert sichuan.items[1] == chongqing.items[1] == "办结：生成医保电子凭证。"


def test_channels_shared_part_and_wrapped_url(guide: ParsedGuide) -> None:
    channels = values(service(guide, "异地长期居住人员备案"), "channels")  # "- 12 -" page number inside, line 343
    assert channels[None].items == [
        "现场（窗口）办理：两省市各级“川渝通办”专窗。",
        "网上办理（网上办理时按要求上传申办材料即可，格式包括 Word、Excel、PDF、JPEG，文件应小于 3M）。",
    ]
    assert channels[None].span == Span(337, 347)
    assert channels["四川省"].text == "可通过国家医保服务平台 APP 或四川医保 APP 或四川政务服务网办理"
    resident = values(service(guide, "城乡居民参保登记"), "channels")["四川省"]
    assert resident.text == ("可通过四川医保公共服务网上服务大厅（网址：https://ggfw.scyb.org.cn/hsa-local-prod/web/"
                             "hallEnter/#/）或四川省政务服务网办理")
    assert resident.span == Span(819, 823)


def test_conditions_split_by_region(guide: ParsedGuide) -> None:
    conditions = values(service(guide, "城乡居民参保登记"), "conditions")
    assert set(conditions) == {"四川省", "重庆市"}
    sichuan, chongqing = conditions["四川省"], conditions["重庆市"]
    assert sichuan.span == Span(768, 784) and chongqing.span == Span(786, 797)
    assert sichuan.items[1] == "本省户籍城乡居民（含中等职业技术学校、中小学校、幼儿园学生）；"
    assert sichuan.items[-1] == "其他符合参保地参保政策规定的人员。"
    assert len(chongqing.items) == 7 and chongqing.items[2] == "具有本市户籍的新生儿；"


def test_materials_of_retired_people_settled_elsewhere(guide: ParsedGuide) -> None:
    materials = values(service(guide, "异地安置退休人员备案"), "materials")[None]
    assert materials.span == Span(173, 187)
    assert materials.items == [
        "有效身份证件（包括身份证、居住证、户口簿、护照、港澳居民来往内地通行证、港澳台居民居住证、外国人永久居留证）"
        "或社保卡（A4 纸复印件 1 份）；",
        "异地就医登记备案表（原件 1 份，样表见附表 1）；",
        "异地安置认定材料。“户口簿首页”和本人“常住人口登记卡”（A4 纸复印件 1 份），或个人承诺书（原件 1 份，样表见附表 6）。",
    ]
    voucher = values(service(guide, "医保电子凭证申领"), "materials")[None]
    assert (voucher.text, voucher.items) == ("无。", [])
    assert values(service(guide, "门诊费用跨省直接结算"), "materials")[None].items == ["社保卡。"]


def test_time_limits(guide: ParsedGuide) -> None:
    assert values(guide.services[0], "time_limit")[None].text == "法定办结时限：即时办结。\n承诺办结时限：即时办结"
    transfer = values(service(guide, "转移接续手续办理"), "time_limit")[None]
    assert transfer.span == Span(1413, 1425)
    assert transfer.text.startswith("法定办结时限：现场（窗口）办理的在参保地医保经办机构收到申请后20个工作日办结（申办材料寄递预计需要4个工作日")
    assert transfer.text.endswith("线上办理20个工作日办结")
    assert "线上办理2个工作日办结" in values(service(guide, "异地转诊人员备案"), "time_limit")[None].text
    assert values(guide.services[-1], "time_limit")[None].text == "法定办结时限：当日办结。\n承诺办结时限：当日办结"


def test_complaint_hotline_row_and_no_other_phones(guide: ParsedGuide) -> None:
    for svc in guide.services:
        assert [(c.area, c.complaint, c.consult, c.place, c.hours) for c in svc.contacts] == [("", ["12345"], [], None, None)]
        assert "supervision" not in {f.key for f in svc.fields}
    assert guide.services[0].contacts[0].span == Span(107, 109)
    assert service(guide, "城乡居民参保信息变更登记").contacts[0].span == Span(1151, 1153)  # no final stop there


def test_consult_field_points_to_the_missing_annex(guide: ParsedGuide) -> None:
    consult = values(guide.services[0], "consult_channel")[None]
    assert (consult.label, consult.text, consult.span) == (
        "咨询方式、办理地址和时间（附件 3）", "咨询方式、办理地址和时间（附件 3）", Span(99, 99))
    outpatient = values(service(guide, "门诊费用跨省直接结算"), "consult_channel")[None]
    assert outpatient.text == "四川省、重庆市各跨省门诊费用直接结算定点医疗机构医保服务窗口可咨询，办理时间为各医疗机构工作时间。"
    annex = [a for a in guide.anomalies if a.kind == "missing_annex"]
    assert len(annex) == 1 and annex[0].message.startswith("11 services")


def test_reference_forms(guide: ParsedGuide) -> None:
    assert [title for title, _ in guide.reference_forms] == [
        "表1 异地就医登记备案表", "表2 城乡居民基本医疗保险参保登记表", "表3 基本医疗保险职工参保信息变更登记表",
        "表4 基本医疗保险城乡居民参保信息变更登记表", "表5 基本医疗保险关系转移接续申请表", "表6 个人承诺书",
    ]
    assert guide.reference_forms[0][1] == Span(1693, 1759)
    assert guide.reference_forms[-1][1] == Span(1900, 1920)


def test_detached_cells_repeat_the_main_text(guide: ParsedGuide) -> None:
    detached = [a for a in guide.anomalies if a.kind == "detached_cells"]
    assert len(detached) == 1 and detached[0].span == Span(1923, 1980)
    assert detached[0].message.startswith("58 of 58 ")
    for name in ("异地安置退休人员备案", "异地转诊人员备案", "城乡居民参保登记", "职工参保信息变更登记"):
        assert name in detached[0].message
    assert not [a for a in guide.anomalies if a.kind == "unplaced_cell"]
    # nothing is taken from them: every value comes from the services' own lines
    assert all(f.span.end <= 1692 for s in guide.services for f in s.fields)
    assert len(values(service(guide, "城乡居民参保登记"), "basis")[None].items) == 3


def test_unwrapped_text(guide: ParsedGuide) -> None:
    first = guide.services[0]
    assert values(first, "basis")[None].text == "《国家医疗保障局关于全面推广应用医保电子凭证的通知》（医保办发〔2020〕10 号）。"
    assert values(first, "accepting_body")[None].text == (
        "四川省、重庆市各级医疗保障部门。各级政务服务大厅“川渝通办”专窗提供咨询服务并指导群众线上办理。")
    assert values(first, "steps")["四川省"].items[1] == "办结：生成医保电子凭证。"
    assert values(service(guide, "转移接续手续办理"), "deciding_body")[None].text == "转入地区医疗保障部门。"
    texts = [f.text for s in guide.services for f in s.fields]
    assert not any("- 12 -" in t or "- 39 -" in t or "一、事项名称" in t for t in texts)


def test_a_missing_heading_and_a_stray_cell_are_reported(lines: list[str]) -> None:
    changed = list(lines)
    changed[22] = ""  # "六、事项类别" of 医保电子凭证申领
    changed[1950] = "\t本行不在正文中。"
    parsed = parse(changed)
    missing = [a for a in parsed.anomalies if a.kind == "missing_field"]
    assert [(a.service, a.span) for a in missing] == [("医保电子凭证申领", Span(1, 1))]
    assert missing[0].message == f"fields numbered {[n for n in range(1, 21) if n != 6]}"
    unplaced = [a for a in parsed.anomalies if a.kind == "unplaced_cell"]
    assert [a.span for a in unplaced] == [Span(1951, 1951)]
