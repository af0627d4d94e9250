"""A python-socketio client of the running assistant's socket.io channel (bot.web.rasa_socketio), like the widget."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import socketio

TIMEOUT = 30  # seconds for any wait: connecting, the session, one message of the assistant
T = TypeVar("T")


class Chat:
    """One connection (polling transport: python-engineio's websocket client needs a newer aiohttp than Rasa
    pins) with a session, collecting what the assistant utters."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient()
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.session = ""

    async def open(self, url: str, session_request: Any) -> str:
        """Connect, send ``session_request`` as the event's data, and return the session id confirmed."""
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.client.on("bot_uttered", self.inbox.put)
        self.client.on("session_confirm", confirmed.set_result)
        await self.client.connect(url, transports=["polling"], wait_timeout=TIMEOUT)
        await self.client.emit("session_request", session_request)
        self.session = await asyncio.wait_for(confirmed, TIMEOUT)
        return self.session

    async def say(self, text: str) -> None:
        """A text, as the widget sends it."""
        await self.send({"message": text, "session_id": self.session})

    async def send(self, data: Any) -> None:
        """A `user_uttered` event with this data (a tuple: several arguments; None: none)."""
        await self.client.emit("user_uttered", data)

    async def turn(self, quiet: float | None = None) -> list[dict]:
        """The messages uttered up to the answer as data (the custom payload ending an answer of the actions) or,
        with ``quiet``, up to a pause of that many seconds (a reply without it: a greeting, an apology)."""
        messages = [await asyncio.wait_for(self.inbox.get(), TIMEOUT)]
        while "custom" not in messages[-1]:
            try:
                messages.append(await asyncio.wait_for(self.inbox.get(), quiet or TIMEOUT))
            except asyncio.TimeoutError:
                if quiet is None:
                    raise
                break
        return messages

    async def close(self) -> None:
        """Disconnect without waiting out the long-poll in flight, which the server answers only at its next ping
        (the client's own disconnect waits for it, about 30 s)."""
        await self.client.eio.disconnect(abort=True)


async def converse(url: str, session_id: str, texts: list[str]) -> tuple[str, list[list[dict]]]:
    """The confirmed session id, and for each text the messages of its turn up to the answer as data."""
    chat = Chat()
    try:
        session = await chat.open(url, {"session_id": session_id})
        turns = []
        for text in texts:
            await chat.say(text)
            turns.append(await chat.turn())
        return session, turns
    finally:
        await chat.close()


def in_thread(work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work()`` in an event loop of its own thread: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


def talk(url: str, session_id: str, texts: list[str]) -> tuple[str, list[list[dict]]]:
    """`converse`, from synchronous code."""
    return in_thread(lambda: converse(url, session_id, texts))
