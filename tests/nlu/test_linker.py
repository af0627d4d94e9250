"""The knowledge-base linker on citizens' wording: services, places, what is asked, choices."""
from __future__ import annotations

import pytest
import yaml

from bot import paths

from bot.kb.store import KnowledgeBase
from bot.nlu.aspects import detect_aspects
from bot.nlu.linker import Linker, parse_choice
from bot.nlu.models import Models


@pytest.fixture(scope="module")
def linker(kb: KnowledgeBase, models: Models) -> Linker:
    return Linker(kb, models)


@pytest.mark.parametrize(("text", "service"), [
    ("看病的钱怎么报，住院的", "住院费用报销"),
    ("娃儿上医保要带啥子", "城乡居民参保登记"),
    ("住院报消要带什么", "住院费用报销"),            # homophone typo
    ("医宝电子凭证咋个弄", "医保电子凭证申领"),        # homophone typo
    ("诊所想申请医保定点", "医疗机构申请定点协议管理"),
    ("开药房的，申请医保定点需要啥子证件", "零售药店申请定点协议管理"),
    ("之前暂停了医保协议，现在想恢复", "定点医药机构申请恢复协议管理"),
    ("老汉去世了，个人账户的钱咋个取", "参保人员个人账户资金一次性支取"),
    ("退休了要去海南跟儿子住，医保要办啥子手续", "异地安置退休人员备案"),
    ("打零工的，自己交职工医保的钱，缴费找哪个", "灵活就业人员缴纳职工医疗保险费"),
    ("药店每个月跟医保结算，好久钱能到", "基本医疗保险定点零售药店费用结算"),  # two modifiers agree
    ("生娃的钱咋个报哦", "生育医疗费支付"),                              # 报 is the 医疗费, not the 津贴
    ("定点药店中止协议以后想恢复，多久能办好", "定点医药机构申请恢复协议管理"),  # 以后: what came before
    ("单位参保信息变更要填啥子表", "单位参保信息变更登记"),
    ("我在峨眉山市跑滴滴，没单位，想自己交职工医保", "职工参保登记"),                # an official name without 登记
    ("娃儿刚上了户口想给他参城乡居民医保", "城乡居民参保登记"),
    ("娃儿刚满月，想给他把医保办了", "城乡居民参保登记"),                 # 娃儿 tells which 办医保
    ("在乐山新开了个诊所，想接入医保刷卡", "医疗机构申请定点协议管理"),
    ("住了二十来天院，医院没给直接结，回来报账", "住院费用报销"),
    ("要去浙江女儿那边长住几年，看病要先备案", "异地长期居住人员备案"),
    ("开江县参保的，要去外地长住几年，备案电话多少", "异地长期居住人员备案"),  # 参保 only describes the asker
    ("住远报销要带啥子哦", "住院费用报销"),                             # a typo beside an exact 报销
    ("定点药店之前中止了协议 申请恢复要好久", "定点医药机构申请恢复协议管理"),  # 之前: what came before
    ("职工医保的人去世了 要停保 需要啥", "职工参保登记"),
    ("我开的药店，病人刷医保的钱医保局好久给我们结过来", "基本医疗保险定点零售药店费用结算"),
    ("产假津贴峨眉山打啥电话问", "生育津贴支付"),
    ("在外地生的娃，住院费没直接结算，回乐山报要带啥", "生育医疗费支付"),   # the 住院 of a birth
    ("住院了要报销带啥", "住院费用报销"),                                    # 报销 alone does not make it one
    ("单位职工医保信息变更要啥材料", "职工参保信息变更登记"),                 # 单位职工: an employee
    ("职工医保登记的身份证号码错了要改，需要啥材料", "职工参保信息变更登记"),  # a change to the registration
    ("从达州调到重庆工作了，医保关系咋个转过去", "转移接续手续办理"),
    ("夹江县 新开了个药铺子 想能刷医保卡", "零售药店申请定点协议管理"),
    ("达川区异地备案电话，我长期在广州住", "异地长期居住人员备案"),          # 长期 tells which 备案
    ("做了人流没直接结算，回来报销找哪个窗口", "计划生育医疗费支付"),
    ("黄冈新农合个人信息变更要多久", "城乡居民参保信息变更登记"),            # 新农合 says who, 变更 what
    ("农村医保上我名字有个字打错了，要带些啥子去改", "城乡居民参保信息变更登记"),  # 打错了 is no correction here
    ("没得单位的人，居民医保是哪些人可以参保登记嘛", "城乡居民参保登记"),       # 没得单位 is not 单位参保登记
    ("药店不开了，要跟医保解除定点协议", "定点医药机构申请暂停（终止）协议管理"),
    ("公司想查一下单位给员工交医保的情况", "参保单位参保信息查询"),
    ("武汉汉阳区，生伢的医疗费冇在医院结算，回来报要么子材料", "生育医疗费支付"),  # 湖北: 伢, 冇
    ("井研 慢性病认定 咨询电话是好多哦", "基本医疗保险参保人员享受门诊慢特病病种待遇认定"),
])
def test_colloquial_service_names(linker: Linker, text: str, service: str) -> None:
    result = linker.link(text)
    assert result.service is not None and result.service.name == service, result.services[:3]


@pytest.mark.parametrize("text", ["报销", "备案要带什么", "变更登记 材料", "一地就医备案咋个弄"])
def test_vague_names_leave_candidates_tied(linker: Linker, text: str) -> None:
    """Phrases that name several services alike, and a model not sure enough which: asked back."""
    result = linker.link(text)
    assert result.service is None and len(result.tied()) >= 2
    assert "phrase" in result.tied()[0].evidence


@pytest.mark.parametrize("text", ["查询要带啥", "想参保 咋个办"])
def test_a_word_kinds_of_service_share_with_nothing_else_ties_them(linker: Linker, text: str) -> None:
    """No phrase names a service, and the message is nothing but a word several kinds share ("查询": 参保人员
    and 参保单位 信息查询): the model's guess is its prior for the word, so they tie."""
    result = linker.link(text)
    assert result.service is None and len(result.tied()) >= 2 and "kind" in result.tied()[0].evidence


def test_phrases_of_two_services_keep_both_as_candidates(linker: Linker) -> None:
    """居民: 两病; 职工: 门诊慢特病 — whether they tie is the model's margin (tie_ratio), but both stay candidates."""
    result = linker.link("糖尿病门诊用药认定要多久")
    assert {c.name for c in result.services[:2]} == {"城乡居民医保参保人员高血压、糖尿病病种待遇认定",
                                                    "基本医疗保险参保人员享受门诊慢特病病种待遇认定"}


@pytest.mark.parametrize(("text", "region"), [
    ("沐川的", "四川省/乐山市/沐川县"),
    ("峨嵋山门特认定电话", "四川省/乐山市/峨眉山市"),
    ("蛾眉山市恢复协议打啥电话", "四川省/乐山市/峨眉山市"),   # a homophone typo, not 眉山市
    ("俄边县生娃儿报销找哪个电话", "四川省/乐山市/峨边县"),
    ("宣汗县城乡居民参保登记电话", "四川省/达州市/宣汉县"),
    ("建为县异地长期居住备案电话", "四川省/乐山市/犍为县"),     # 犍 is read jiān too
    ("重庆退休了想去成都养老，异地安置备案要啥子材料", "重庆市"),
    ("眉山市住院报销", "四川省/眉山市"),
    ("重庆转诊去成都华西，备案要带什么", "重庆市"),             # 成都 is where the treatment is
    ("我在宣汉", "四川省/达州市/宣汉县"),
    ("峨边彝族自治县住院报销", "四川省/乐山市/峨边县"),
    ("武汉市江汉区", "湖北省/武汉市/江汉区"),
    ("广安市邻水县", "四川省/广安市/邻水县"),
])
def test_places(linker: Linker, text: str, region: str) -> None:
    assert linker.link(text).region.path == region


@pytest.mark.parametrize(("text", "aspects"), [
    ("要带啥、多久能办好、电话多少", ["materials", "time_limit", "phone"]),
    ("投诉电话是好多", ["complaint_phone"]),
    ("换了手机号，医保上留的电话咋个改", ["process"]),
    ("能不能打电话办，不想跑", ["channel"]),
    ("窗口几点上班", ["hours"]),
    ("在哪个窗口办", ["place"]),
    ("一直办不下来，找哪个反映", ["complaint_phone"]),
    ("余额能转过去不，转到哪里", ["process", "target"]),
    ("医保经办的地方具体在哪条街、好多号", ["place", "address"]),
    ("不会用手机，想直接去窗口", []),
    ("我的产检费能不能用他的生育保险报", ["target"]),
    ("啥子情况下门诊费用才要自己拿去报销", ["target"]),
    ("报销要几多天", ["time_limit"]),                                  # 湖北: 几多 = 多少
    ("个人账户一次性取出来么样办", ["process"]),
    ("身份证号码错了，信息变更要么子", ["materials"]),                   # 身份证号码 is no phone number
    ("我的产检费能报吗", ["target"]),
    ("手机号换了，医保预留的电话号码咋个改，要带啥", ["materials", "process"]),  # the citizen's own number
    ("城乡居民参保 可以在乡镇上办不", ["place"]),
])
def test_what_is_asked(text: str, aspects: list[str]) -> None:
    assert detect_aspects(text) == aspects


def test_a_place_no_guide_covers_where_one_lives_away_is_not_the_region(linker: Linker) -> None:
    assert linker.link("办了跨省长期备案，人在上海，个人账户的钱想转到社保卡上").region is None
    assert linker.link("上海住院报销要带啥").region.path == "上海市"  # said plainly, it is the place asked about


def test_the_aliases_file_has_no_key_twice() -> None:
    class Strict(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
            assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
            return super().construct_mapping(node, deep)

    yaml.load(paths.SERVICE_ALIASES.read_text(encoding="utf-8"), Loader=Strict)


def test_candidates_similarity_cannot_tell_apart_are_all_offered(linker: Linker) -> None:
    assert len(linker.link("异地就医备案在哪个窗口办").tied()) >= 5


def test_a_space_between_questions_ends_the_first(linker: Linker) -> None:
    assert linker.link("个人账户的钱能取出来不 要多久").aspects == ["time_limit", "target"]


@pytest.mark.parametrize(("text", "choice"), [("2", 2), ("第二个", 2), ("选3", 3), ("二十", None), ("住院", None)])
def test_numbered_choices(text: str, choice: int | None) -> None:
    assert parse_choice(text) == choice


def test_city_office_is_noticed(linker: Linker) -> None:
    assert linker.link("乐山市本级住院报销电话").city_level
    assert not linker.link("乐山住院报销电话").city_level


@pytest.mark.parametrize(("text", "aspect"), [
    ("住院报销周六能办不", "hours"), ("门特认定窗口中午上不上班", "hours"), ("异地备案几点开门", "hours"),
    ("生育津贴在哪个窗口办", "place"), ("参保登记在几楼", "place"), ("个人账户支取在哪办", "place"),
    ("开参保凭证收钱不", "fee"), ("医保电子凭证申领要钱吗", "fee"),
    ("门诊报销多久有结果", "time_limit"), ("生育津贴几天到账", "time_limit"), ("单位参保登记当天能办好不", "time_limit"),
    ("慢特病认定办到哪一步了，咋个查进度", "progress"), ("转移接续的结果怎么通知我", "delivery"),
    ("异地安置备案能在小程序上办不", "channel"), ("医保电子凭证在哪个APP申领", "channel"),
    ("住院报销有没有网址可以网上申请", "channel"),
])
def test_every_aspect_is_learnt_from_its_everyday_words(linker: Linker, text: str, aspect: str) -> None:
    assert aspect in linker.link(text).aspects


@pytest.mark.parametrize("text", ["住房公积金能取出来交房租不", "驾照过期了换证要带啥", "个体户营业执照年报在哪里弄"])
def test_another_offices_matter_is_off_topic_and_names_no_service(linker: Linker, text: str) -> None:
    found = linker.link(text)
    assert found.off_topic and not found.services


@pytest.mark.parametrize("text", ["住院报销要带啥", "电话多少", "医保电话", "备案要带什么"])
def test_a_vague_medical_insurance_question_is_not_off_topic(linker: Linker, text: str) -> None:
    assert not linker.link(text).off_topic


def test_the_uncovered_topic_named_first_is_the_one_asked(linker: Linker) -> None:
    assert linker.link("养老保险退休金咋算的").uncovered == "养老、失业、工伤保险和公积金"
