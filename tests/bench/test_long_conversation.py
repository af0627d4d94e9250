"""The long-conversation measure's design, against a recording REST server on loopback: the conversations
overlap, so every turn number is asked at moments spread over the run."""
from __future__ import annotations

import asyncio
import socket
import sys

from aiohttp import web

from bot import paths

sys.path.insert(0, str(paths.ROOT))  # bench/ is not an installed package; `pytest` alone does not add the root
from bench import long_conversation  # noqa: E402
from bench.load import REST_PATH  # noqa: E402


def test_overlapping_conversations_each_ask_every_turn_in_order() -> None:
    asked: list[tuple[str, str]] = []

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        asked.append((body["sender"], body["message"]))
        return web.json_response([{"recipient_id": body["sender"], "text": "好"}])

    async def run() -> list[list[float]]:
        app = web.Application()
        app.router.add_post(REST_PATH, answer)
        runner = web.AppRunner(app)
        await runner.setup()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            return await long_conversation._staggered(f"http://127.0.0.1:{port}", list("abcdefg"), 8,
                                                      ["s0", "s1", "s2", "s3"])
        finally:
            await runner.cleanup()

    latencies = asyncio.run(run())
    assert [len(turns) for turns in latencies] == [8, 8, 8, 8]
    for sender in ("s0", "s1", "s2", "s3"):  # each its 8 turns, round the first five texts
        assert [m for s, m in asked if s == sender] == list("abcdeabc")
    # each starts when the one before is a quarter through (2 of its 8 turns): s1 with s0's third question,
    # s2 with its fifth, s3 with its seventh
    order = [s for s, _ in asked]
    assert [order[: order.index(s)].count("s0") for s in ("s1", "s2", "s3")] == [3, 5, 7]
    # the middle of the run asks early, middle and late turns alike, one after the other
    assert order[12:16] == ["s0", "s1", "s2", "s3"]
