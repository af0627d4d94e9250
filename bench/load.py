"""Concurrent load over Rasa's REST channel: closed-loop clients, each with its own conversations."""
from __future__ import annotations

import asyncio
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.nlu.generate import read_questions

REST_PATH = "/webhooks/rest/webhook"
CONVERSATION_LENGTH = 3  # a client starts a new conversation (sender id) after this many questions
TIMEOUT_S = 60.0


def load_questions() -> list[dict[str, Any]]:
    """The labelled questions (nlu_data/questions/*.jsonl), in file order: what citizens send, for the load."""
    return read_questions()


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile, or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


@dataclass
class LevelResult:
    """What one concurrency level gave: latencies of the answered messages, errors by kind, wall time."""

    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def sent(self) -> int:
        return len(self.latencies_ms) + sum(self.errors.values())

    def summary(self) -> dict[str, Any]:
        ok = len(self.latencies_ms)
        return {"clients": self.clients, "sent": self.sent, "ok": ok, "errors": dict(self.errors),
                "error_count": sum(self.errors.values()), "seconds": round(self.seconds, 2),
                "throughput": round(ok / self.seconds, 2) if self.seconds else 0.0,
                **{f"p{p}_ms": None if value is None else round(value, 2)
                   for p in (50, 95, 99) for value in [percentile(self.latencies_ms, p)]}}


async def _client(session: aiohttp.ClientSession, url: str, texts: list[str], index: int, tag: str,
                  result: LevelResult, messages: int | None, deadline: float) -> None:
    """Send questions one after the other until `messages` are sent or the deadline passes."""
    sent = 0
    while (messages is None or sent < messages) and time.monotonic() < deadline:
        text = texts[(index * 7 + sent) % len(texts)]
        sender = f"bench-{tag}-{result.clients}c-{index}-{sent // CONVERSATION_LENGTH}"
        start = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
            if response.status != 200:
                result.errors[f"HTTP {response.status}"] += 1
            elif not any(m.get("text") for m in body or []):
                result.errors["empty reply"] += 1
            else:
                result.latencies_ms.append((time.perf_counter() - start) * 1000)
        except asyncio.TimeoutError:
            result.errors["timeout"] += 1
        except (aiohttp.ClientError, ValueError) as error:
            result.errors[type(error).__name__] += 1
        sent += 1


async def run_level(base_url: str, texts: list[str], clients: int, *, messages: int | None = None,
                    duration: float | None = None, tag: str = "") -> LevelResult:
    """`clients` concurrent clients, each sending `messages` questions or for `duration` seconds (at least one
    bound); a client waits for each answer before its next question. Questions are shuffled per level."""
    if messages is None and duration is None:
        raise ValueError("bound the run: messages per client or a duration")
    texts = random.Random(clients).sample(texts, len(texts))
    result = LevelResult(clients)
    tag = tag or str(time.time_ns())
    deadline = time.monotonic() + duration if duration is not None else math.inf
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
        start = time.perf_counter()
        await asyncio.gather(*(_client(session, base_url + REST_PATH, texts, i, tag, result, messages, deadline)
                               for i in range(clients)))
        result.seconds = time.perf_counter() - start
    return result


def measure(base_url: str, texts: list[str], clients: int, **bounds: Any) -> LevelResult:
    """:func:`run_level` from synchronous code."""
    return asyncio.run(run_level(base_url, texts, clients, **bounds))
