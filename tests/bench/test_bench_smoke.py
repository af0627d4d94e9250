"""The benchmark's load function against the running assistant: a handful of messages, figures computed."""
from __future__ import annotations

import sys

from bot import paths
from running import Assistant

sys.path.insert(0, str(paths.ROOT))  # bench/ is not an installed package; `pytest` alone does not add the root
from bench import long_conversation  # noqa: E402
from bench.load import load_questions, measure  # noqa: E402


def test_quick_load_gives_latency_and_throughput(assistant: Assistant) -> None:
    texts = [item["q"] for item in load_questions()]
    figures = measure(assistant.url("rasa"), texts, 3, messages=2, tag="smoke").summary()
    assert figures["sent"] == figures["ok"] == 6 and figures["error_count"] == 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert figures["throughput"] > 0 and figures["seconds"] > 0


def test_one_long_conversation_gives_latency_by_turn(assistant: Assistant) -> None:
    texts = [item["q"] for item in load_questions()]
    figures = long_conversation.measure(assistant.url("rasa"), texts, 12, tag="smoke")
    assert len(figures["latencies_ms"]) == 12 and set(figures["at"]) == {1, 10}
    assert all(v > 0 for v in figures["latencies_ms"]) and figures["last_over_first"] > 0
