"""The 达州市 guide parser against the real source file."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.parsers.dazhou import parse
from bot.kb.parsers.text import find_phones, read_lines
from bot.kb.records import ContactRow, FieldValue, ParsedGuide, ParsedService, Span

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "sources" / "002_8ae73a45f86e6fe7.txt"

AREAS = ["市本级", "通川区", "达川区", "宣汉县", "开江县", "大竹县", "渠县", "万源市"]


@pytest.fixture(scope="module")
def guide() -> ParsedGuide:
    return parse(read_lines(SOURCE))


def service(guide: ParsedGuide, seq: int) -> ParsedService:
    found = guide.services[seq - 1]
    assert found.seq == seq
    return found


def contact(guide: ParsedGuide, seq: int, area: str) -> ContactRow:
    return next(c for c in service(guide, seq).contacts if c.area == area)


def fld(guide: ParsedGuide, seq: int, key: str) -> FieldValue:
    return next(f for f in service(guide, seq).fields if f.key == key)


def test_forty_services_in_order(guide: ParsedGuide, template_names: list[str]) -> None:
    """达州 follows the province's template: its 40 事项, in order."""
    assert [s.name for s in guide.services] == template_names
    assert [s.seq for s in guide.services] == list(range(1, 41))
    assert service(guide, 1).span == Span(1, 45)
    assert service(guide, 40).span == Span(4954, 4989)


def test_wrapped_heading_takes_name_from_field(guide: ParsedGuide) -> None:
    # "二十二、…门诊慢特病" (line 2639) continues as "病种待遇认定" at 2722, after a table.
    name = fld(guide, 22, "name")
    assert name.text == "基本医疗保险参保人员享受门诊慢特病病种待遇认定"
    assert name.span == Span(2724, 2726)
    assert service(guide, 31).span.start == 3913
    assert not [a for a in guide.anomalies if a.kind == "name_mismatch"]


def test_every_service_has_a_table_of_areas(guide: ParsedGuide) -> None:
    for s in guide.services:
        expected = AREAS[1:] if s.seq in (31, 32) else AREAS
        assert [c.area for c in s.contacts] == expected, s.name


@pytest.mark.parametrize(
    ("seq", "area", "consult", "complaint"),
    [
        (1, "市本级", ["0818-2144557", "0818-3326933"], ["0818-3326933"]),
        (1, "达川区", ["0818-5336012"], ["0818-5336007", "0818-5336359"]),  # glued at line 85
        (1, "宣汉县", ["0818-5872688"], ["0818-5211625"]),
        (6, "宣汉县", ["0818-5588928"], ["0818-5211625"]),  # table 6 stands above heading 六
        (14, "达川区", ["0818-5336861"], ["0818-5336007", "0818-5336359"]),  # displaced table 14
        (17, "宣汉县", ["0818-5211627", "0818-5232567"], ["0818-5211625"]),
        (26, "达川区", ["0818-5336530", "5336529（居民）", "0818-5336838（职工）"], ["0818-5336007", "0818-5336359"]),
        (26, "大竹县", ["0818-6239100（职工）", "0818-6221398（居民）"], ["0818-6332768"]),
        (32, "通川区", ["0818-7263825"], ["0818-7263275"]),
        (33, "宣汉县", ["0818-5211627", "0818-5232567", "0818-5211621"], ["0818-5211625"]),
        (35, "通川区", ["18111781975"], ["0818-2124898"]),
        (39, "渠县", [], ["0818-7781123"]),  # blank consult cell at line 4940
        (40, "开江县", ["0818-8181632"], ["0818-8181635"]),
    ],
)
def test_phones(guide: ParsedGuide, seq: int, area: str, consult: list[str], complaint: list[str]) -> None:
    row = contact(guide, seq, area)
    assert (row.consult, row.complaint) == (consult, complaint)


def test_places_hours_and_spans(guide: ParsedGuide) -> None:
    xuanhan = contact(guide, 1, "宣汉县")
    assert xuanhan.hours == "上午：8:30-12：00下午：14:30-18:00"
    assert xuanhan.place == "宣汉县东乡镇解放中路591号4楼医疗保障局服务大厅9号至10号综合窗口"
    assert xuanhan.span == Span(87, 91)
    dachuan = contact(guide, 1, "达川区")
    assert dachuan.span == Span(79, 85)
    assert dachuan.hours == "上午：9:00-12:00下午：13:00-17:00"
    assert contact(guide, 40, "宣汉县").hours == "上午：8:30-12：00下午：14:30-18:00(季度结算）"
    assert contact(guide, 32, "达川区").place == "1、达川区各乡镇、街道便民服务中心\n2、达川区南国大道二段598号2楼待遇保障股"
    assert contact(guide, 39, "渠县").place == "渠县行政审批局4楼医疗保障局各审核组"


def test_displaced_tables_map_by_content(guide: ParsedGuide) -> None:
    # Table 6 (line 633, above heading 六) is the residents' table, like table 3; table 7 (inside 六) is not.
    assert contact(guide, 3, "通川区").place.endswith("42号至43号窗口")
    assert contact(guide, 6, "通川区").place.endswith("42号至43号窗口")
    assert contact(guide, 7, "通川区").place.endswith("40号至41号窗口")
    assert contact(guide, 20, "大竹县").place == "具有开具转诊转院材料资质的定点医疗机构"
    assert contact(guide, 21, "大竹县").place == "大竹县滨河北路777号人社局大楼15号窗口"
    assert contact(guide, 22, "大竹县").place == "县内“门特”定点申办医疗机构"
    assert contact(guide, 23, "大竹县").place == "县内“两病”定点申办机构"
    # Table 24 stands inside 二十三, table 25 inside 二十四; 25 matches 住院费用报销's table.
    assert contact(guide, 24, "渠县").consult == ["0818-7219056"]
    assert contact(guide, 25, "大竹县").place == "大竹县行政审批局医保窗口（职工医保）"
    assert contact(guide, 25, "渠县").place == contact(guide, 26, "渠县").place == "渠县行政审批局4楼医疗保障局4号窗口"
    assert "征收股" in contact(guide, 31, "宣汉县").place
    assert "待遇保障股" in contact(guide, 32, "宣汉县").place
    assert contact(guide, 31, "通川区").span == Span(3854, 3860)


def test_fields(guide: ParsedGuide) -> None:
    materials = fld(guide, 1, "materials")
    assert materials.items == ["统一社会信用代码证书或单位批准成立的文件；", "《基本医疗保险单位参保信息登记表》（加盖单位公章）。"]
    assert materials.span == Span(13, 17)
    limit = fld(guide, 1, "time_limit")
    assert (limit.text, limit.span) == ("不超过3个工作日。", Span(19, 21))
    assert fld(guide, 2, "time_limit").text == "在职职工参保登记不超过3个工作日、灵活就业人员参保登记即时办结。"
    assert fld(guide, 21, "time_limit").text == "即时办结"
    assert fld(guide, 31, "time_limit").text == "不超过15个工作日。"
    assert fld(guide, 32, "time_limit").text == "不超过30个工作日。"
    assert fld(guide, 6, "channels").text == "经办机构窗口（有条件的统筹地区可通过网上办理）。"
    assert fld(guide, 7, "materials").items == ["医保电子凭证或有效身份证件或社保卡。"]
    assert fld(guide, 26, "materials").items[-1] == "生育需提供《生育服务证》"
    assert len(fld(guide, 31, "steps").items) == 5
    assert fld(guide, 32, "remarks").items[1] == "符合救助条件但未经认定的应提供《个人家庭经济状况核查委托授权书》由相关部门认定后进行报销；"
    assert fld(guide, 11, "evaluation").label == "服务评价渠道"
    assert not [f for f in service(guide, 7).fields if f.key == "remarks"]


def test_field_split_by_table_keeps_its_text(guide: ParsedGuide) -> None:
    target = fld(guide, 26, "target")
    assert target.text == "未在定点医疗机构联网结算住院费用的基本医疗保险参保人员。"
    assert target.span == Span(3164, 3255)
    split = {a.service for a in guide.anomalies if a.kind == "table_inside_field"}
    assert split == {"住院费用报销", "计划生育医疗费支付", "生育津贴支付"}


def test_displaced_table_anomalies(guide: ParsedGuide, template_names: list[str]) -> None:
    NAMES = template_names
    displaced = {a.service: a.span.start for a in guide.anomalies if a.kind == "displaced_table"}
    assert displaced == {
        NAMES[5]: 633, NAMES[6]: 761, NAMES[13]: 1618, NAMES[20]: 2509,
        NAMES[23]: 2896, NAMES[24]: 3024, NAMES[30]: 3842, NAMES[36]: 4580,
    }
    table6 = next(a for a in guide.anomalies if a.kind == "displaced_table" and a.service == NAMES[5])
    assert "inside service 5 '职工参保信息变更登记'" in table6.message


def test_other_anomalies(guide: ParsedGuide, template_names: list[str]) -> None:
    NAMES = template_names
    missing = [(a.service, a.span.start) for a in guide.anomalies if a.kind == "missing_row"]
    assert missing == [(NAMES[30], 3842), (NAMES[31], 4011)]
    blank = [(a.service, a.span.start) for a in guide.anomalies if a.kind == "blank_cell"]
    assert blank == [(NAMES[38], 4940), (NAMES[39], 5068)]
    suspect = [a for a in guide.anomalies if a.kind == "suspect_phone"]
    assert [(a.service, a.span) for a in suspect] == [(NAMES[34], Span(4398, 4404))]
    assert "0818-63327689" in suspect[0].message
    kinds = {a.kind for a in guide.anomalies}
    assert not kinds & {"missing_field", "unplaced_text", "extra_cell", "missing_cell", "unexpected_header"}


def test_table_count_must_match_services() -> None:
    lines = read_lines(SOURCE)
    del lines[46:125]  # drop table 1 (lines 47-125)
    with pytest.raises(ValueError, match="39 contact tables for 40 services"):
        parse(lines)


def test_find_phones_keeps_bare_numbers_and_labels_as_printed() -> None:
    assert find_phones("0818-5336530、5336529（居民）、5336838（职工）") == [
        "0818-5336530", "5336529（居民）", "5336838（职工）"]
    assert find_phones("0818-5336530\\5336529（居民）") == ["0818-5336530", "5336529（居民）"]
    assert find_phones("0818-53360070818-5336359") == ["0818-5336007", "0818-5336359"]
