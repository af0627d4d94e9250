"""The gazetteer and the region resolver, on cpca's real data."""
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
    ("郫都区", "四川省/成都市/郫县"),
])
def test_resolve(resolver: RegionResolver, text: str, path: str) -> None:
    match = resolver.resolve(text)
    assert match is not None and match.path == path


def test_same_named_district_prefers_a_local_guide_but_keeps_the_other(resolver: RegionResolver) -> None:
    match = resolver.resolve("市中区")
    assert match.path == "四川省/乐山市/市中区"
    assert "四川省/内江市/市中区" in match.candidates
    assert not match.ambiguous


def test_ordinary_words_are_no_places(resolver: RegionResolver) -> None:
    assert resolver.resolve("公安部门出具的证明，长寿老人安居") is None
    assert resolver.resolve("渝快办怎么用") is None


def test_relabel_keeps_the_official_name_as_alias(resolver: RegionResolver) -> None:
    region = resolver.get("四川省/乐山市/峨边县")
    assert region.name == "峨边彝族自治县"
    assert "峨边彝族自治县" in region.aliases
