"""The review over a conversation's events as Rasa stores them: which exchange each problem and each piece of
feedback belongs to, the counts, the exports, and labelled lines back into the training data."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from bot.kb.store import KnowledgeBase
from bot.review.exchanges import exchanges
from bot.review.learn import learn
from bot.review.report import summary, write_csv, write_jsonl

SHAWAN = "四川省/乐山市/沙湾区"
ANSWERED = {"service": "住院费用报销", "region": SHAWAN, "clarify": False, "sources": ["乐山市指南"], "gaps": []}
ASKED_BACK = {"service": None, "region": None, "clarify": True, "sources": [], "gaps": []}


def user(text: str, intent: str = "inform", at: float = 1_700_000_000) -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": at, "parse_data": {"intent": {"name": intent}},
            "input_channel": "rest"}


def turn(text: str, answer: dict[str, Any] | None = None, intent: str = "inform", reply: str = "…",
         **slots: Any) -> list[dict[str, Any]]:
    events = [user(text, intent), {"event": "action", "name": "action_answer"}, {"event": "bot", "text": reply}]
    events += [{"event": "slot", "name": name, "value": value} for name, value in slots.items()]
    return events + ([{"event": "slot", "name": "answer", "value": answer}] if answer is not None else [])


def said(text: str, rating: str, **extra: Any) -> list[dict[str, Any]]:
    value = {"rating": rating, "reason": None, "label": None, "handoff": False} | extra
    return [user(text, "feedback_negative" if rating == "down" else "thanks"),
            {"event": "bot", "text": "…"}, {"event": "slot", "name": "feedback", "value": value}]


CONVERSATION = [
    *turn("沙湾区住院报销打哪个电话", ANSWERED, aspects=["phone"]),
    *said("答非所问", "down", reason="答非所问"),
    *said("你说错了", "down", handoff=True),
    *turn("备案", ASKED_BACK),
    *turn("备案呢", ASKED_BACK),
    *turn("今天天气怎么样", ASKED_BACK | {"clarify": False, "gaps": ["not_understood"]}),
    *turn("住院报销要收费吗", ANSWERED | {"region": None, "gaps": ["not_listed"]}),
    *said("谢谢", "up"),
    *turn("你们管社保吗", None, intent="out_of_scope"),
    *said("不对", "down", label={"service": "异地长期居住人员备案", "region": SHAWAN}),
]


def test_each_problem_and_each_feedback_belongs_to_its_exchange() -> None:
    found = exchanges("rest:c1", CONVERSATION)
    questions = [e for e in found if e.said is None]
    assert [(e.text, e.problems) for e in questions] == [
        ("沙湾区住院报销打哪个电话", ["thumbs_down", "handoff"]),
        ("备案", []),
        ("备案呢", ["asked_back_twice"]),
        ("今天天气怎么样", ["fallback"]),
        ("住院报销要收费吗", ["thumbs_down", "not_listed"]),  # the correction rated the last answer given
        ("你们管社保吗", ["out_of_scope"]),
    ]
    assert {e.channel for e in found} == {"rest"} and questions[2].history == ["沙湾区住院报销打哪个电话", "备案"]
    assert questions[0].aspects == ["phone"] and [f["reason"] for f in questions[0].feedback] == ["答非所问", None]


def test_the_summary_counts_per_problem_day_service_and_wording() -> None:
    report = summary(exchanges("rest:c1", CONVERSATION) + exchanges("wechat:o1", turn("医保", ASKED_BACK)))
    assert (report["questions"], report["flagged"], report["thumbs_up"], report["thumbs_down"]) == (7, 5, 1, 3)
    assert report["problems"] == {"thumbs_down": 2, "asked_back_twice": 1, "fallback": 1, "out_of_scope": 1,
                                  "not_listed": 1, "handoff": 1}
    assert sum(report["per_day"].values()) == 5
    assert {"service": "住院费用报销", "place": "乐山市沙湾区", "count": 1} in report["per_service"]
    assert [w["text"] for w in report["top_unanswered"]] == ["今天天气怎么样", "住院报销要收费吗", "你们管社保吗"]


def test_the_exports_hold_the_flagged_questions_ready_to_label(tmp_path: Path) -> None:
    found = exchanges("rest:c1", CONVERSATION)
    write_jsonl(found, tmp_path / "review.jsonl")
    write_csv(found, tmp_path / "review.csv")
    items = [json.loads(line) for line in (tmp_path / "review.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i["q"] for i in items] == ["沙湾区住院报销打哪个电话", "备案呢", "今天天气怎么样", "住院报销要收费吗",
                                       "你们管社保吗"]
    corrected = items[3]
    assert (corrected["service"], corrected["region"], corrected["labelled"]) == ("异地长期居住人员备案", SHAWAN, True)
    assert items[0]["labelled"] is False and items[0]["answer"]["service"] == "住院费用报销"
    assert items[1]["history"] == ["沙湾区住院报销打哪个电话", "备案"]
    with (tmp_path / "review.csv").open(encoding="utf-8-sig") as rows:
        assert [row["question"] for row in csv.DictReader(rows)] == [i["q"] for i in items]


def test_labelled_lines_join_the_training_data_and_the_rest_is_reported(
        tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    unseen = "一个盲测集里的问题，还没有人看过"  # a blind set of its own: tests/eval/blind/ may hold none
    blind = tmp_path / "unseen.jsonl"
    blind.write_text(json.dumps({"id": "u-1", "q": unseen, "service": None}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    monkeypatch.setattr("bot.review.learn.blind_sets", lambda: {"unseen": blind})
    lines = [
        {"q": "社保卡丢了住院咋个报", "service": "住院费用报销", "region": SHAWAN, "asks": ["process"], "labelled": True},
        {"q": "社保卡丢了住院咋个报", "service": "住院费用报销", "labelled": True},  # the same again
        {"q": "还没看过的问法", "service": "住院费用报销", "labelled": False},
        {"q": "乱标的事项", "service": "没有这个事项", "labelled": True},
        {"q": "乱标的地区", "service": "住院费用报销", "region": "火星市", "labelled": True},
        {"q": unseen, "service": "none", "labelled": True},
    ]
    source = tmp_path / "labelled.jsonl"
    source.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines) + "{oops\n",
                      encoding="utf-8")
    target = tmp_path / "reviewed.jsonl"
    result = learn(source, kb, target)
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == [
        {"q": "社保卡丢了住院咋个报", "service": "住院费用报销", "region": SHAWAN, "asks": ["process"]}]
    assert [why.split(" ")[0] for _, why in result.skipped] == ["already", "not", "service", "region", "in", "not"]
