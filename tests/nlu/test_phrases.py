"""spaCy's PhraseMatcher over characters and sounds (bot.text.phrases)."""
from __future__ import annotations

from bot.text.phrases import PhraseFinder, readings


def test_phrases_are_found_inside_run_together_words_and_across_spaces() -> None:
    finder = PhraseFinder(["住院", "报销", "住院报销", "医保", "APP"])
    assert finder.find("我在沙湾住院 报销，医保APP") == [(4, 9, "住院报销"), (10, 12, "医保"), (12, 15, "APP")]


def test_a_phrase_inside_a_longer_one_does_not_count_but_an_overlapping_one_does() -> None:
    finder = PhraseFinder(["峨眉山市", "眉山市", "内江市", "市中区"])
    assert [p for _, _, p in finder.find("峨眉山市")] == ["峨眉山市"]
    assert [p for _, _, p in finder.find("内江市中区")] == ["内江市", "市中区"]


def test_same_sounding_phrases_are_found_by_their_sound() -> None:
    finder = PhraseFinder(["住院报销", "报销", "报消"])
    assert finder.sounding("住远报消要带啥") == [(0, 4, "住院报销")]
    assert {p for _, _, p in finder.sounding("报消")} == {"报销", "报消"}


def test_every_reading_of_a_place_name() -> None:
    assert ("jian", "wei", "xian") in readings("犍为县") and ("qian", "wei", "xian") in readings("犍为县")
    assert PhraseFinder(["犍为县"], every_reading=True).sounding("建为县的") == [(0, 3, "犍为县")]
    assert PhraseFinder(["犍为县"]).sounding("建为县的") == []
