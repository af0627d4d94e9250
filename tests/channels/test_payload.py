"""The answer data beside a reply's text, as the channels and the batch read it."""
from __future__ import annotations

from bot.channels.payload import answer_data, payloads


def test_the_first_message_carrying_answer_data_gives_it() -> None:
    messages = [
        {"text": "您好"},
        {"custom": {"yibao": {"service": "住院费用报销", "clarify": False}}},
        {"custom": {"yibao": {"handoff": True}}},
    ]
    assert answer_data(messages) == {"service": "住院费用报销", "clarify": False}
    assert [p.get("handoff") for p in payloads(messages)] == [None, True]


def test_a_reply_without_answer_data_gives_none() -> None:
    assert answer_data([{"text": "抱歉"}, {"custom": "not a dict"}, {"custom": {"yibao": "x"}}]) == {}
