"""The gazetteer and the region resolver, on jionlp's real data."""
from __future__ import annotations

import pytest

from bot import paths
from bot.kb.region_resolver import RegionResolver
from bot.kb.regions import build_regions, relabel, short_forms


@pytest.fixture(scope="module")
def resolver() -> RegionResolver:
    regions = build_regions(paths.REGIONS_CONFIG)
    relabel(regions, "四川省/乐山市/峨边彝族自治县", "峨边县")
    return RegionResolver(regions, preferred=["四川省/乐山市", "四川省/达州市"])


def test_short_forms_of_official_names() -> None:
    assert short_forms("峨边彝族自治县") == ["峨边", "峨边县"]
    assert short_forms("凉山彝族自治州") == ["凉山", "凉山州"]
    assert short_forms("乐山市") == ["乐山"]
    assert short_forms("渠县") == []  # one character left is no name


def test_every_district_of_the_three_provinces_is_known(resolver: RegionResolver) -> None:
    levels = {}
    for region in resolver.regions.values():
        levels.setdefault(region.path.split("/")[0], []).append(region.level)
    assert levels["四川省"].count("city") == 21
    assert levels["湖北省"].count("city") == 13
    assert levels["四川省"].count("district") > 180
    assert levels["四川省"].count("township") > 3000
    assert levels["重庆市"].count("district") > 35
    assert "district" not in levels["北京市"]  # only cities outside the guides' provinces


@pytest.mark.parametrize("text, path", [
    ("峨边", "四川省/乐山市/峨边县"),
    ("乐山市/峨边县", "四川省/乐山市/峨边县"),
    ("峨边彝族自治县", "四川省/乐山市/峨边县"),
    ("那峨眉山呢", "四川省/乐山市/峨眉山市"),
    ("峨眉", "四川省/乐山市/峨眉山市"),
    ("沐川的", "四川省/乐山市/沐川县"),
    ("我在宣汉", "四川省/达州市/宣汉县"),
    ("武汉", "湖北省/武汉市"),
    ("我在武汉市江汉区", "湖北省/武汉市/江汉区"),
    ("广安市邻水县", "四川省/广安市/邻水县"),
    ("成都", "四川省/成都市"),
    ("内江市中区", "四川省/内江市/市中区"),
    ("乐山市中区", "四川省/乐山市/市中区"),
    ("达州市中心医院", "四川省/达州市"),
    ("重庆", "重庆市"),
    ("郫都区", "四川省/成都市/郫都区"),
    # old names resolve to the places that carry them today
    ("郫县", "四川省/成都市/郫都区"),
    ("罗江县", "四川省/德阳市/罗江区"),
    ("宜宾县", "四川省/宜宾市/叙州区"),
    ("襄樊", "湖北省/襄阳市"),
    ("开县", "重庆市/开州区"),
    # a township stands for its district
    ("我是符溪镇的", "四川省/乐山市/峨眉山市"),
    ("沙湾嘉农镇", "四川省/乐山市/沙湾区"),
    ("我在宣汉县清溪镇", "四川省/达州市/宣汉县"),
    # …also without 镇/街道, as people say it, where no other township shares the name
    ("我住苏稽", "四川省/乐山市/市中区"),
    ("研城这边生娃", "四川省/乐山市/井研县"),
    ("我在普光开了个药房", "四川省/达州市/宣汉县"),
    ("我们是罗城的", "四川省/乐山市/犍为县"),
    # …and by the suffix it had before (镇改街道: 漹城镇 is 漹城街道 today)
    ("漹城镇 慢病认定电话", "四川省/乐山市/夹江县"),
    # old names from the regions.yml supplement
    ("我是万县的医保", "重庆市/万州区"),
    ("江北县", "重庆市/渝北区"),
    ("宜昌县", "湖北省/宜昌市/夷陵区"),
])
def test_resolve(resolver: RegionResolver, text: str, path: str) -> None:
    match = resolver.resolve(text)
    assert match is not None and match.path == path


def test_same_named_district_prefers_a_local_guide_but_keeps_the_other(resolver: RegionResolver) -> None:
    match = resolver.resolve("市中区")
    assert match.path == "四川省/乐山市/市中区"
    assert "四川省/内江市/市中区" in match.candidates
    assert not match.ambiguous


def test_a_name_a_place_has_today_beats_another_places_former_name(resolver: RegionResolver) -> None:
    found = resolver.resolve("江北职工参保信息变更多久能办完")  # 渝北区 was 江北县
    assert found and found.path == "重庆市/江北区" and not found.ambiguous
    assert resolver.resolve("江北县").path == "重庆市/渝北区"  # the former name in full still means it


def test_ordinary_words_are_no_places(resolver: RegionResolver) -> None:
    assert resolver.resolve("公安部门出具的证明，长寿老人安居") is None
    assert resolver.resolve("渝快办怎么用") is None


@pytest.mark.parametrize("text", [
    "公司换了法人和对公账户",  # 人和(镇) inside 法人和
    "新开的药店 满月了 我妈妈住院",  # dictionary words that name no place
    "我在新村",  # a township name many places share
    "城镇职工医保",  # no township's name before 镇
])
def test_a_township_name_without_its_suffix_is_no_ordinary_word(resolver: RegionResolver, text: str) -> None:
    assert resolver.resolve(text) is None


def test_relabel_keeps_the_official_name_as_alias(resolver: RegionResolver) -> None:
    region = resolver.get("四川省/乐山市/峨边县")
    assert region.name == "峨边彝族自治县"
    assert "峨边彝族自治县" in region.aliases


def test_a_township_two_local_districts_share_asks_which(resolver: RegionResolver) -> None:
    match = resolver.resolve("我是清溪镇的")
    assert match.ambiguous
    assert sorted(match.candidates) == ["四川省/乐山市/犍为县", "四川省/达州市/宣汉县"]


def test_a_township_shared_with_an_uncovered_place_means_the_local_one(resolver: RegionResolver) -> None:
    names = {}
    for region in resolver.regions.values():
        if region.level == "township":
            names.setdefault(region.name, []).append(region.path)
    shared = next(n for n, ps in sorted(names.items()) if len(ps) == 2
                  and sum(p.startswith("四川省/乐山市/") for p in ps) == 1)
    match = resolver.resolve(f"我是{shared}的")
    assert match.path.startswith("四川省/乐山市/") and not match.ambiguous


def test_townships_are_no_short_names(resolver: RegionResolver) -> None:
    assert resolver.resolve("我在乡镇卫生院住的院") is None


def test_short_forms_of_functional_zones() -> None:
    assert short_forms("达州经济开发区") == ["达州经开区"]
    assert short_forms("成都高新技术产业开发区") == ["成都高新区"]
    assert short_forms("龙感湖管理区") == ["龙感湖"]
    assert short_forms("天府新区") == []
