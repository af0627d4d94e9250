"""Each piece of the lexicon's evidence on its own, over a small lexicon held in memory (the real knowledge
base's tables in test_linker.py are the acceptance layer)."""

from __future__ import annotations

import pytest

from bot.nlu.services import HOMOPHONE_WEIGHT, ServiceLexicon

IN_HOSPITAL, OUTPATIENT, PHARMACY = "住院费用报销", "门诊费用报销", "零售药店申请定点协议管理"
SETTLEMENT = "定点医药机构医保费用结算"


@pytest.fixture(scope="module")
def lexicon() -> ServiceLexicon:
    names = {IN_HOSPITAL: {"住院报销"}, OUTPATIENT: set(), PHARMACY: set(), SETTLEMENT: set()}
    aliases = {"住院": [IN_HOSPITAL], "门诊": [OUTPATIENT], "报销": [IN_HOSPITAL, OUTPATIENT],
               "结算": [SETTLEMENT]}
    modifiers = {"药店": [PHARMACY, SETTLEMENT], "定点": [PHARMACY, SETTLEMENT]}
    return ServiceLexicon(names, aliases, modifiers)


def test_an_official_name_names_its_service(lexicon: ServiceLexicon) -> None:
    found = lexicon.evidence("住院费用报销要带啥")
    assert max(found.support, key=found.support.get) == IN_HOSPITAL
    assert found.mention[IN_HOSPITAL] == "住院费用报销" and found.spans


def test_a_vague_phrase_supports_every_service_it_may_mean_alike(lexicon: ServiceLexicon) -> None:
    found = lexicon.evidence("报销要带啥")
    assert found.vague_family() == {IN_HOSPITAL, OUTPATIENT}
    assert found.support[IN_HOSPITAL] == found.support[OUTPATIENT]


def test_a_specific_phrase_beside_a_vague_one_decides(lexicon: ServiceLexicon) -> None:
    found = lexicon.evidence("住院了想报销")
    assert found.vague_family() == {IN_HOSPITAL} and found.support[IN_HOSPITAL] > found.support[OUTPATIENT]


def test_a_homophone_counts_less_and_only_inside_words(lexicon: ServiceLexicon) -> None:
    typed = lexicon.evidence("门诊报消")  # 报消 sounds like 报销
    written = lexicon.evidence("门诊报销")
    assert typed.support[OUTPATIENT] == pytest.approx(written.support[OUTPATIENT] - 0.5 + 0.5 * HOMOPHONE_WEIGHT)
    assert not lexicon.evidence("把医保销了").named  # no word here sounds like 报销


def test_modifiers_alone_name_nothing_unless_two_agree(lexicon: ServiceLexicon) -> None:
    alone = lexicon.evidence("药店的呢")
    assert not alone.named and alone.modifiers == ["药店"]
    agreeing = lexicon.evidence("定点药店")
    assert agreeing.vague_family() == {PHARMACY, SETTLEMENT}


def test_a_modifier_narrows_what_other_phrases_name(lexicon: ServiceLexicon) -> None:
    found = lexicon.evidence("药店结算多久到账")
    assert set(found.support) == {SETTLEMENT}
