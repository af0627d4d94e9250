"""The studied questions as Rasa training data: which label each kind of question gets."""

from __future__ import annotations

from bot.nlu.generate import question_blocks
from bot.nlu.services import ServiceLexicon

BIRTH, ALLOWANCE = "生育医疗费支付", "生育津贴支付"
LEXICON = ServiceLexicon({BIRTH: set(), ALLOWANCE: {"生育津贴"}}, {"生孩子的钱": [BIRTH, ALLOWANCE]})


def labels(*items: dict) -> dict[str, str]:
    """Each example text → the service label of its block ("" for none)."""
    blocks = question_blocks(items, alike=lambda text: LEXICON.evidence(text).vague_family())
    return {
        line[2:]: block["metadata"].get("service", "")
        for block in blocks
        for line in block["examples"].splitlines()
    }


def test_a_question_asked_back_which_service_learns_the_services_its_words_name_alike() -> None:
    found = labels({"q": "生孩子的钱咋个报", "service": None, "asks": ["materials"], "expect": "clarify"})
    assert found == {"生孩子的钱咋个报": f"{BIRTH}|{ALLOWANCE}"}


def test_a_question_asked_back_with_words_of_no_or_one_service_has_no_label() -> None:
    found = labels(
        {"q": "电话多少", "service": None, "asks": ["phone"], "expect": "clarify"},
        {"q": "生育津贴要好久", "service": None, "asks": ["time_limit"], "expect": "clarify"},
    )
    assert found == {"电话多少": "", "生育津贴要好久": ""}


def test_a_question_asked_back_for_the_place_keeps_its_service() -> None:
    found = labels({"q": "生育津贴电话", "service": ALLOWANCE, "asks": ["phone"], "expect": "clarify"})
    assert found == {"生育津贴电话": ALLOWANCE}


def test_follow_ups_and_repeated_texts_stay_out() -> None:
    found = labels(
        {"q": "要好久", "service": BIRTH, "asks": ["time_limit"], "history": ["生孩子的钱咋个报"]},
        {"q": "生育津贴要带啥", "service": ALLOWANCE, "asks": ["materials"]},
        {"q": "生育津贴要带啥", "service": BIRTH, "asks": ["materials"]},
    )
    assert found == {"生育津贴要带啥": ALLOWANCE}
