"""Service × region lookups on the built knowledge base: the right guide, the right local phone, never another's."""
from __future__ import annotations

import pytest

from bot.kb.lookup import Card, NotFound, card
from bot.kb.store import KnowledgeBase

DOCUMENT_CONTACTS = ("0838-2534490", "028-86523136")


def lookup(kb: KnowledgeBase, service: str, region_text: str) -> Card:
    match = kb.resolver.resolve(region_text)
    assert match is not None, region_text
    return card(kb, service, match.path)


@pytest.mark.parametrize("service, region, consult, complaint", [
    ("住院费用报销", "峨边", ["0833-5228371"], ["0833-2128273"]),
    ("住院费用报销", "乐山市/市中区", ["0833-2128816"], ["0833-2128273"]),
    ("住院费用报销", "峨眉山市", ["0833-5546541"], ["0833-2128273"]),
    ("住院费用报销", "沙湾区", ["0833-3432615"], ["0833-2128273"]),
    ("单位参保登记", "沙湾", ["0833-3433653"], ["0833-2101641"]),
    ("职工参保登记", "乐山市", ["0833-2639682"], ["0833-2101641"]),  # 市本级
    ("城乡居民参保登记", "沐川县", ["0833-4696007"], ["0833-2101641"]),
    ("职工基本医疗保险费趸缴清算", "沐川", ["0833-4602380"], ["0833-2101641"]),  # 沐川 differs by service
    ("医保电子凭证申领", "夹江县", ["0833-2406352"], ["0833-2406352"]),  # one number for the whole city
    ("单位参保登记", "达州市/达川区", ["0818-5336012"], ["0818-5336007", "0818-5336359"]),  # glued pair split
    ("单位参保登记", "达州", ["0818-2144557", "0818-3326933"], ["0818-3326933"]),  # 市本级, two numbers
    ("单位参保登记", "宣汉县", ["0818-5872688"], ["0818-5211625"]),
    ("住院费用报销", "符溪镇", ["0833-5546541"], ["0833-2128273"]),  # a township of 峨眉山市
    ("单位参保登记", "达县", ["0818-5336012"], ["0818-5336007", "0818-5336359"]),  # 达川区's old name
])
def test_local_phones(kb: KnowledgeBase, service: str, region: str, consult: list[str], complaint: list[str]) -> None:
    result = lookup(kb, service, region)
    assert result.service.name == service
    assert result.contact is not None
    assert result.contact.consult == consult
    assert result.contact.complaint == complaint
    assert result.contact.source.line_start and result.contact.source.file == result.guide.file


def test_a_district_gets_its_own_number_and_no_other(kb: KnowledgeBase) -> None:
    result = lookup(kb, "住院费用报销", "峨边县")
    assert result.contact_level == "exact"
    assert result.contact.area == "峨边县"
    assert result.region == "四川省/乐山市/峨边县"
    assert result.district_contacts == []


def test_a_city_question_gets_the_city_row_and_lists_the_districts(kb: KnowledgeBase) -> None:
    result = lookup(kb, "住院费用报销", "乐山")
    assert result.contact.area == "市本级" and result.contact.consult == ["0833-2694037"]
    assert {c.area for c in result.district_contacts} >= {"峨边县", "沙湾区", "峨眉山市"}


@pytest.mark.parametrize("service, region, guide", [
    ("住院费用报销", "成都", "sichuan_guide"),
    ("住院费用报销", "广安市邻水县", "sichuan_guide"),
    ("城乡居民参保登记", "武汉", "hubei"),
    ("职工参保登记", "武汉市江汉区", "hubei"),
])
def test_places_without_local_numbers_say_so(kb: KnowledgeBase, service: str, region: str, guide: str) -> None:
    result = lookup(kb, service, region)
    assert result.guide.key == guide
    phones = [p for c in [result.contact, *result.district_contacts] if c for p in c.consult + c.complaint]
    assert phones == []
    assert not set(DOCUMENT_CONTACTS) & set(phones)


def test_chongqing_gets_the_chuanyu_guide_with_its_own_values(kb: KnowledgeBase) -> None:
    result = lookup(kb, "医保电子凭证申领", "重庆")
    assert result.guide.key == "chuanyu"
    channels = " ".join(f.text for f in result.fields if f.key == "channels")
    assert "渝快办" in channels
    assert all(f.scope in (None, "重庆市") for f in result.fields)
    assert result.contact is not None and result.contact.consult == [] and result.contact.complaint == ["12345"]


def test_a_service_the_city_guide_lacks_falls_back_to_the_province(kb: KnowledgeBase) -> None:
    result = lookup(kb, "参保人员电话号码新增和更改", "乐山市/沙湾区")
    assert result.guide.key == "sichuan_guide"
    assert result.notes and "乐山" in result.notes[0]
    assert result.contact is None or result.contact.consult == []


def test_conflicting_time_limits_are_on_the_card(kb: KnowledgeBase) -> None:
    result = lookup(kb, "门诊费用报销", "成都")
    assert {(c["value"], c["other_value"], c["other_guide"]) for c in result.conflicts} == {
        ("不超过30个工作日", "不超过20个工作日", "sichuan_list")}


def test_close_names_resolve(kb: KnowledgeBase) -> None:
    assert lookup(kb, "住院报销", "峨边").service.name == "住院费用报销"
    assert lookup(kb, "异地安置退休备案", "乐山").service.name == "异地安置退休人员备案"


def test_unknown_service_and_uncovered_region_raise(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound):
        lookup(kb, "护照办理", "乐山")
    with pytest.raises(NotFound):
        lookup(kb, "住院费用报销", "北京")


@pytest.mark.parametrize("region", ["四川省/凉山彝族自治州", "达州市"])
def test_guides_compared_with_the_list_carry_its_twin(kb: KnowledgeBase, region: str) -> None:
    found = lookup(kb, "参保人员电话号码新增和更改", region)
    remarks = found.twin_field("remarks")
    assert [r.text for r in remarks] == ["可通过四川医保APP或微信小程序线上办理。"]
    assert remarks[0].source.guide == "sichuan_list" and remarks[0].source.line_start == 92


def test_guides_without_a_list_have_no_twin(kb: KnowledgeBase) -> None:
    assert lookup(kb, "住院费用报销", "峨边").twin_fields == []


@pytest.mark.parametrize("service, region, path", [
    ("住院费用报销", "郫县", "四川省/成都市/郫都区"), ("住院费用报销", "郫都区", "四川省/成都市/郫都区"),
    ("住院费用报销", "罗江县", "四川省/德阳市/罗江区"), ("住院费用报销", "叙州区", "四川省/宜宾市/叙州区"),
    ("住院费用报销", "襄樊", "湖北省/襄阳市"), ("医保电子凭证申领", "开县", "重庆市/开州区"),
    ("住院费用报销", "嘉州", "四川省/乐山市"), ("住院费用报销", "宕渠", "四川省/达州市/渠县"),  # historical names
])
def test_current_and_old_names_answer_for_the_place_today(kb: KnowledgeBase, service: str, region: str,
                                                          path: str) -> None:
    assert lookup(kb, service, region).region == path


def test_kb_lookup_command_resolves_old_names_and_asks_between_same_named_townships() -> None:
    import subprocess
    import sys

    from bot import paths

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "kb", "lookup", *args], cwd=paths.ROOT,
                              capture_output=True, text=True, timeout=120)

    found = run("住院费用报销", "郫县")
    assert found.returncode == 0 and "郫都区" in found.stdout and "郫县" not in found.stdout.split("\n")[0]
    shared = run("住院费用报销", "清溪镇")
    assert shared.returncode == 2
    assert "四川省/乐山市/犍为县" in shared.stderr and "四川省/达州市/宣汉县" in shared.stderr


def test_a_field_the_guide_leaves_generic_is_completed_from_another_guide_covering_the_place(kb: KnowledgeBase) -> None:
    """The 四川 guide says only "有条件的统筹地区可通过网上…办理"; the 川渝 guide names 四川's APPs."""
    found = lookup(kb, "异地安置退休人员备案", "成都市")
    assert found.guide.key != "chuanyu" and "有条件的" in found.field("channels")[0].text
    completed = found.completion("channels")
    assert completed and all(g.key == "chuanyu" for g, _ in completed)
    assert any("四川医保 APP" in f.text for _, f in completed) and not any("渝快办" in f.text for _, f in completed)


def test_a_field_the_guide_gives_in_full_is_not_completed(kb: KnowledgeBase) -> None:
    found = lookup(kb, "住院费用报销", "乐山市")
    assert found.field("materials") and not found.completion("materials")
