"""Latency by turn number within one long conversation: one sender, one question after another, as a busy
citizen or an operator's long call (the tracker store's cost grows with the session unless it reads only the
recent turns)."""
from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import aiohttp

from bench.load import REST_PATH, TIMEOUT_S

MARKS = (1, 10, 50, 100, 200)  # turns reported
REPEATS = 4  # conversations, overlapping (see _staggered); a turn's figure is its median over them
WINDOW = 5  # a mark's figure: the median of the turns up to it, this many (turn 1: the first five, so that
# one slow first answer — a cold cache, a checkpoint — does not stand for the start of the conversation)


async def _staggered(url: str, texts: list[str], turns: int, senders: list[str]) -> list[list[float]]:
    """The latency of each turn of each sender's conversation. The conversations overlap: each starts when
    the one before it is 1/len(senders) of the way through, and they take turns, one question in flight at a
    time; so each turn number is measured at as many moments spread over the run, and a slow spell of the
    machine does not fall on one part of the conversation. The questions go round the first ``WINDOW``
    texts, so that every mark's window asks the same questions and only the conversation's length differs
    between marks."""
    texts = texts[:WINDOW]
    latencies: list[list[float]] = [[] for _ in senders]
    lag = turns // len(senders)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
        for round_ in range(turns + lag * (len(senders) - 1)):
            for n, sender in enumerate(senders):
                turn = round_ - n * lag
                if not 0 <= turn < turns:
                    continue
                start = time.perf_counter()
                body = {"sender": sender, "message": texts[turn % len(texts)]}
                async with session.post(url + REST_PATH, json=body) as response:
                    response.raise_for_status()
                    await response.read()
                latencies[n].append((time.perf_counter() - start) * 1000)
    return latencies


def at_marks(latencies: list[float], marks: tuple[int, ...] = MARKS) -> dict[int, float]:
    """The median latency around each mark that the run reached."""
    return {mark: round(statistics.median(latencies[max(mark - WINDOW, 0):max(mark, WINDOW)]), 2)
            for mark in marks if mark <= len(latencies)}


def measure(
    base_url: str, texts: list[str], turns: int = max(MARKS), tag: str = "", repeats: int = REPEATS
) -> dict[str, Any]:
    """``repeats`` overlapping conversations of ``turns`` questions: every turn's latency (its median over
    the conversations), the figures at the marks, and the ratio of the last mark to turn 1."""
    senders = [f"bench-long-{tag or time.time_ns()}-{n}" for n in range(repeats)]
    runs = asyncio.run(_staggered(base_url, texts, turns, senders))
    latencies = [statistics.median(turn) for turn in zip(*runs)]
    marks = at_marks(latencies)
    last = max(marks)
    return {"turns": turns, "latencies_ms": [round(v, 2) for v in latencies], "at": marks,
            "last_over_first": round(marks[last] / marks[1], 2) if marks[1] else None}
