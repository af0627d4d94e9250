"""The 四川省 事项清单 and 办事指南 forwarded by 德阳市 (knowledge/sources/001_0b5737e9ace4ef4d.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.parsers import sichuan_guide, sichuan_list
from bot.kb.parsers.text import split_items
from bot.kb.records import ParsedGuide, ParsedService, Span

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources" / "001_0b5737e9ace4ef4d.txt"
DOCUMENT_PHONES = {"0838-2534490", "028-86523136"}



@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def listing(lines: list[str]) -> ParsedGuide:
    return sichuan_list.parse(lines)


@pytest.fixture(scope="module")
def guide(lines: list[str]) -> ParsedGuide:
    return sichuan_guide.parse(lines)


def service(parsed: ParsedGuide, name: str) -> ParsedService:
    return next(s for s in parsed.services if s.name == name)


def value(svc: ParsedService, key: str):
    return next(f for f in svc.fields if f.key == key)


# --- 附件 1: the 事项清单 -------------------------------------------------------------------------


def test_list_has_forty_numbered_sub_items(listing: ParsedGuide) -> None:
    assert [s.seq for s in listing.services] == list(range(1, 41))
    assert listing.services[0].name == "单位参保登记"
    assert listing.services[-1].name == "基本医疗保险定点零售药店费用结算"


def test_list_codes_and_row_spans(listing: ParsedGuide) -> None:
    first = service(listing, "单位参保登记")
    assert first.codes == {"事项编码": "512036001009", "子项编码": "512036001001"}
    assert first.span == Span(86, 86)
    inpatient = service(listing, "住院费用报销")
    assert inpatient.codes == {"事项编码": "51203600700Y", "子项编码": "512036007002"}
    assert value(inpatient, "time_limit").text == "不超过30个工作日"
    assert value(inpatient, "time_limit").span == Span(115, 115)
    assert service(listing, "医疗救助对象手工（零星）报销").codes["子项编码"] == "5120360090802"


def test_list_groups_are_forward_filled_without_numeral(listing: ParsedGuide) -> None:
    staff = service(listing, "职工参保登记")  # line 87 starts with two empty cells
    assert (staff.group, staff.codes["事项编码"]) == ("基本医疗保险变更登记", "512036001009")
    assert service(listing, "参保人员电话号码新增和更改").group == "基本医疗保险变更登记"
    query = service(listing, "参保人员参保信息查询")  # under a "主题" header (line 97)
    assert query.group == "基本医疗保险参保信息查询和个人账户资金支取、划转"
    assert query.codes == {"事项编码": "512036012007", "子项编码": "512036010302"}
    assert service(listing, "生育津贴支付").group == "生育保险待遇申领支付"
    pharmacy = service(listing, "基本医疗保险定点零售药店费用结算")  # under a "主项" header (line 121)
    assert (pharmacy.group, pharmacy.codes["事项编码"]) == ("定点医药机构费用结算", "51203601100Y")


def test_list_fields(listing: ParsedGuide) -> None:
    inpatient = service(listing, "住院费用报销")
    assert value(inpatient, "materials").items == [
        "医保电子凭证或有效身份证件或社保卡；", "医院收费票据；", "住院费用清单；", "出院记录；", "参保人银行账户信息。",
    ]
    assert value(inpatient, "stages").text == "申请—受理—审核—拨付—办结"
    staff = service(listing, "职工参保登记")
    assert value(staff, "time_limit").text == "在职职工不超过3个工作日； 灵活就业人员即时办结"
    assert len(value(staff, "remarks").items) == 4
    assert value(service(listing, "参保人员个人账户资金一次性支取"), "stages").text == "申请—受理—审核—支付—办结"
    drugs = value(service(listing, "非支付药品、高值药品支付管理病种待遇认定"), "basis")
    assert len(drugs.items) == 7 and drugs.items[0].startswith("《人力资源社会保障部关于将35种药品")
    assert value(service(listing, "参保人员电话号码新增和更改"), "basis").text == "《中华人民共和国社会保险法》（主席令第30号）第七十七条。"


def test_list_note_after_last_material_is_not_an_item(listing: ParsedGuide) -> None:
    materials = value(service(listing, "医疗机构申请定点协议管理"), "materials")
    assert materials.items[-1] == "大型医疗设备清单。"
    assert len(materials.items) == 5
    assert materials.text.endswith("以上所有资料均需加盖单位公章。")


def test_list_empty_cells_give_no_field(listing: ParsedGuide) -> None:
    resident_change = service(listing, "城乡居民参保信息变更登记")  # line 91: 备注 and 设定依据 empty
    assert [f.key for f in resident_change.fields] == ["materials", "time_limit", "stages"]
    assert "basis" not in {f.key for f in service(listing, "职工参保登记").fields}


def test_list_has_no_contacts(listing: ParsedGuide) -> None:
    assert all(not s.contacts for s in listing.services)


def test_list_anomalies(listing: ParsedGuide) -> None:
    kinds = [(a.kind, a.span.start) for a in listing.anomalies]
    assert ("missing_form", 509) in kinds and ("missing_form", 543) in kinds and ("missing_form", 577) in kinds
    mismatched = {a.service for a in listing.anomalies if a.kind == "code_mismatch"}
    assert mismatched == {"参保单位参保信息查询", "参保人员参保信息查询", "参保人员个人账户资金一次性支取",
                          "跨省异地长期备案人员个人账户资金划转"}
    odd = {a.message for a in listing.anomalies if a.kind == "odd_code"}
    assert "code '51203600600F' is not 12 digits" in odd and "code '5120360090801' is not 12 digits" in odd


def test_reference_forms(listing: ParsedGuide) -> None:
    titles = [title for title, _ in listing.reference_forms]
    assert len(titles) == 22  # 附表 2..26 without 18, 21 and 24
    assert titles[0] == "附表 2 职工基本医疗保险参保登记表"
    assert ("附表 3 城乡居民基本医疗保险参保登记表", Span(174, 186)) in listing.reference_forms
    assert "附表 20 个人承诺书" in titles
    assert titles[-1] == "附表 26 异地就医联网结算费用拨付申请表"
    form_names = {title.split(" ", 2)[2] for title in titles}
    assert not form_names & {s.name for s in listing.services}  # forms are reference material, not services


# --- the 办事指南 ---------------------------------------------------------------------------------


def test_guide_has_forty_services_with_exact_names(guide: ParsedGuide, template_names: list[str]) -> None:
    assert [s.name for s in guide.services] == template_names
    assert [s.seq for s in guide.services] == list(range(1, 41))
    assert guide.services[0].span.start == 634
    assert service(guide, "定点医药机构申请暂停（终止）协议管理").span.start == 2535  # title wrapped over 2535-2537
    assert not [a for a in guide.anomalies if a.kind == "name_mismatch"]


def test_guide_time_limits(guide: ParsedGuide) -> None:
    first = value(service(guide, "单位参保登记"), "time_limit")
    assert (first.text, first.span) == ("不超过3个工作日", Span(653, 655))
    assert value(service(guide, "住院费用报销"), "time_limit").text == "不超过30个工作日"
    assert value(service(guide, "门诊费用报销"), "time_limit").text == "不超过30个工作日"
    assert value(service(guide, "参保人员个人账户资金一次性支取"), "time_limit").text == "不超过15个工作日"
    assert value(service(guide, "职工参保登记"), "time_limit").text == (
        "在职职工参保登记不超过3个工作日、灵活就业人员参保登记即时办结")
    assert value(service(guide, "医疗机构申请定点协议管理"), "time_limit").text == "不超过60个工作日"


def test_guide_materials_and_steps(guide: ParsedGuide) -> None:
    first = service(guide, "单位参保登记")
    materials = value(first, "materials")
    assert materials.label == "申请办理材料" and materials.span == Span(648, 651)
    assert materials.items == ["统一社会信用代码证书或单位批准成立的文件;", "《基本医疗保险单位参保信息登记表》(加盖单位公章)。"]
    assert value(first, "steps").items[3] == "办结:符合条件的办理参保登记。"
    allowance = value(service(guide, "生育津贴支付"), "steps")
    assert len(allowance.items) == 5 and allowance.items[4] == "办结：将生育津贴划入参保单位的银行账户。"
    clinic = value(service(guide, "医疗机构申请定点协议管理"), "materials")
    assert clinic.items[-1] == "大型医疗仪器设备清单。" and len(clinic.items) == 5
    assert clinic.text.endswith("(以上办理资料均需加盖单位公章。)")
    settle = value(service(guide, "基本医疗保险定点医疗机构费用结算"), "materials")
    assert settle.text == "《定点医疗机构医疗保障结算申报表》、《异地就医联网结算费用拨付申请表》。"
    assert value(service(guide, "参保人员电话号码新增和更改"), "materials").items == ["医保电子凭证或有效身份证件或社保卡。"]


def test_guide_unwraps_pdf_lines_and_bullets(guide: ParsedGuide) -> None:
    remarks = value(service(guide, "单位参保登记"), "remarks")  # "- 2.…注销登" / "记、单位拆分…" on 675-677
    assert remarks.items[1] == "参保登记含新参保、暂停参保、注销登记、单位拆分、合并、分立等相关内容;"
    assert remarks.span == Span(672, 679)
    assert value(service(guide, "职工参保登记"), "evaluation").text == "通过经办窗口办理的可现场评价，通过网络办理的可线上评价。"
    assert value(service(guide, "基本医疗保险定点医疗机构费用结算"), "progress").text == (
        "可通过统筹地区内的医保经办窗口或拨打咨询电话查询办理进度。")
    texts = [f.text for s in guide.services for f in s.fields]
    assert not any(line.startswith("- ") for text in texts for line in text.splitlines())


def test_guide_progress_label_variants(guide: ParsedGuide) -> None:
    assert value(service(guide, "单位参保登记"), "progress").label == "办理进度查询"
    assert value(service(guide, "城乡居民参保登记"), "progress").label == "办理查询"
    missing = {a.service for a in guide.anomalies if a.kind == "missing_field"}
    assert missing == {"参保单位参保信息查询", "参保人员参保信息查询"}


def test_guide_blank_local_block_is_one_empty_row(guide: ParsedGuide) -> None:
    for svc in guide.services:
        assert len(svc.contacts) == 1, svc.name
        row = svc.contacts[0]
        assert (row.area, row.place, row.hours, row.consult, row.complaint) == ("", None, None, [], [])
        assert "online" not in {f.key for f in svc.fields}
    assert service(guide, "单位参保登记").contacts[0].span == Span(681, 689)
    assert service(guide, "职工参保登记").contacts[0].span == Span(745, 755)


def test_guide_displaced_slots(guide: ParsedGuide) -> None:
    displaced = {a.service: a.span for a in guide.anomalies if a.kind == "displaced_slot"}
    assert displaced == {
        "参保人员电话号码新增和更改": Span(976, 976),
        "灵活就业人员缴纳职工医疗保险费": Span(1024, 1028),
        "职工基本医疗保险费趸缴": Span(1127, 1143),
        "定点医药机构信息变更": Span(2489, 2489),
    }
    lump = service(guide, "职工基本医疗保险费趸缴")  # slots interleaved with its first fields
    assert value(lump, "target").text == "统筹地区内的职工基本医疗保险参保人员。"
    assert value(lump, "time_limit").text == "不超过5个工作日"


def test_guide_filled_slots(lines: list[str]) -> None:
    head = lines[:620] + ["医疗保障经办政务服务办事指南", "一、单位参保登记", "(一) 事项名称", "单位参保登记。"]
    block = ["(以下内容以各经办机构公布的为准)", "办理地点：旌阳区长江西路一段", "办理时间：工作日",
             "咨询电话：0838-2222222", "投诉电话：0838-2534490", "网办渠道：四川医保APP"]
    parsed = sichuan_guide.parse(head + block)
    row = parsed.services[0].contacts[0]
    assert (row.place, row.hours, row.consult, row.complaint) == ("旌阳区长江西路一段", "工作日", ["0838-2222222"], [])
    assert value(parsed.services[0], "online").text == "四川医保APP"
    assert "document_phone_in_slot" in {a.kind for a in parsed.anomalies}


# --- both ----------------------------------------------------------------------------------------


def test_document_contacts_in_both_and_never_in_rows(listing: ParsedGuide, guide: ParsedGuide) -> None:
    for parsed in (listing, guide):
        found = [(c.person, c.phone, c.span) for c in parsed.document_contacts]
        assert found == [("熊潇磊", "0838-2534490", Span(25, 27)), ("朱林梅", "028-86523136", Span(74, 74))]
        for svc in parsed.services:
            for row in svc.contacts:
                assert not DOCUMENT_PHONES & set(row.consult + row.complaint)
                assert not any(phone in (row.place or "") + (row.hours or "") for phone in DOCUMENT_PHONES)
            assert not any(phone in f.text for f in svc.fields for phone in DOCUMENT_PHONES)


def test_names_shared_and_differing_between_list_and_guide(listing: ParsedGuide, guide: ParsedGuide) -> None:
    pairs = {(a.name, b.name) for a, b in zip(listing.services, guide.services) if a.name != b.name}
    assert pairs == {
        ("职工基本医疗保险缴费基数核定", "职工基本医疗保险费趸缴"),
        ("异地急诊、抢救就医备案", "异地急诊、抢救住院登记备案"),
        ("基本医疗保险参保人员在享受门诊特殊病种待遇认定", "基本医疗保险参保人员享受门诊慢特病病种待遇认定"),
        ("城乡居民医保参保人员在高血压、糖尿病病种待遇认定", "城乡居民医保参保人员高血压、糖尿病病种待遇认定"),
        ("非支付药品、高值药品支付管理病种待遇认定", "单行支付药品、高值药品支付管理病种待遇认定"),
    }
    list_outpatient = value(service(listing, "门诊费用报销"), "time_limit").text
    assert (list_outpatient, value(service(guide, "门诊费用报销"), "time_limit").text) == ("不超过20个工作日", "不超过30个工作日")


def test_split_items_can_leave_out_a_trailing_note() -> None:
    text = "1.《申请表》； 2.设备清单。 以上所有资料均需加盖单位公章。"
    assert split_items(text, keep_tail=False) == ["《申请表》；", "设备清单。"]
    assert split_items(text)[-1] == "设备清单。 以上所有资料均需加盖单位公章。"
