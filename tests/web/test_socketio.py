"""The socket.io channel the widget talks to (bot.web.rasa_socketio), spoken to by a python-socketio client."""
from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import socketio

from running import Assistant

TIMEOUT = 30


async def converse(url: str, session_id: str, texts: list[str]) -> tuple[str, list[list[dict]]]:
    """The confirmed session id, and for each text the bot_uttered messages up to the answer's custom payload."""
    client = socketio.AsyncClient()
    inbox: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", inbox.put)
    client.on("session_confirm", confirmed.set_result)
    # The polling transport: python-engineio's websocket client needs a newer aiohttp than Rasa pins.
    await client.connect(url, transports=["polling"], wait_timeout=TIMEOUT)
    try:
        await client.emit("session_request", {"session_id": session_id})
        session = await asyncio.wait_for(confirmed, TIMEOUT)
        turns = []
        for text in texts:
            await client.emit("user_uttered", {"message": text, "session_id": session})
            turn = [await asyncio.wait_for(inbox.get(), TIMEOUT)]
            while "custom" not in turn[-1]:
                turn.append(await asyncio.wait_for(inbox.get(), TIMEOUT))
            turns.append(turn)
        return session, turns
    finally:
        await client.disconnect()


def talk(url: str, session_id: str, texts: list[str]) -> tuple[str, list[list[dict]]]:
    """`converse` in a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(converse(url, session_id, texts))).result()


def test_session_answers_quick_replies_and_the_answer_as_data(assistant: Assistant) -> None:
    session_id = uuid.uuid4().hex
    session, (clarify, answer) = talk(assistant.url("rasa"), session_id, ["备案", "沙湾区的，住院报销打哪个电话"])
    assert session == session_id
    asked = next(m for m in clarify if m.get("quick_replies"))
    assert len(asked["quick_replies"]) >= 2 and clarify[-1]["custom"]["yibao"]["clarify"] is True
    text = "\n".join(m["text"] for m in answer if "text" in m)
    assert "0833-3432615" in text and "来源：《乐山市" in text
    assert answer[-1]["custom"]["yibao"]["card"]["contact"]["consult"] == ["0833-3432615"]
    _, [follow_up] = talk(assistant.url("rasa"), session_id, ["那峨眉山呢？"])  # a new connection, the same session
    assert "0833-5546541" in "\n".join(m["text"] for m in follow_up if "text" in m)
