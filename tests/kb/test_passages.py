"""The sentences of a card that speak to a detail the citizen named, on the built knowledge base."""
from __future__ import annotations

from bot.kb.lookup import card
from bot.kb.passages import details, passages
from bot.kb.store import KnowledgeBase


def test_a_rare_word_of_the_question_finds_its_sentence_in_the_list(kb: KnowledgeBase) -> None:
    result = card(kb, "异地安置退休人员备案", "四川省/德阳市")
    found = passages(kb, result, "德阳退休异地安置备案，认定材料是要户口本还是户口迁移证")
    assert found and "户口迁移证" in found[0].sentence
    assert found[0].source.guide == "sichuan_list"  # the 指南 says only 异地安置认定材料


def test_a_contact_cell_is_a_passage(kb: KnowledgeBase) -> None:
    result = card(kb, "基本医疗保险定点零售药店费用结算", "四川省/达州市/宣汉县")
    found = passages(kb, result, "宣汉县药店医保结算是按季度结算吗")
    assert [(p.label, p.details) for p in found] == [("办理时间（宣汉县）", frozenset({"季度"}))]


def test_words_of_the_service_places_and_common_words_are_no_details(kb: KnowledgeBase) -> None:
    service = next(s for s in kb.services.values() if s.name == "住院费用报销" and s.guide == "leshan")
    assert details(kb, "峨眉山住院报销要带啥材料，可以在网上办不", service) == set()
    assert details(kb, "峨眉山市住院报消要好多天", service) == set()
    # where it is done is a detail: the materials' "医院收费票据" speaks to it
    assert details(kb, "峨眉山住院报销要带啥材料，可以在医院办不", service) == {"医院"}
