"""Bad input on the socket.io channel the widget uses: every odd text and event answered, the session kept."""
from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from bad_input.cases import NORMAL, PHONE, Case, params
from bad_input.checks import assert_servers_up
from bot.channels.senders import MAX_SENDER
from bot.web.rasa_socketio import UNREADABLE
from running import Assistant
from socketio_client import TIMEOUT, Chat, in_thread

QUIET = 0.25  # seconds without a message that end a reply without the answer as data (a greeting, a note)
Payload = Callable[[str], Any]  # the user_uttered data, given the session id


def text_of(messages: list[dict]) -> str:
    return "\n".join(m["text"] for m in messages if isinstance(m.get("text"), str))


def exchange(assistant: Assistant, payload: Payload, session_request: Any) -> tuple[str, str, str]:
    """On a new connection: the session confirmed, the reply to ``payload``, then the answer to NORMAL."""
    async def work() -> tuple[str, str, str]:
        chat = Chat()
        try:
            session = await chat.open(assistant.url("rasa"), session_request)
            await chat.send(payload(session))
            reply = text_of(await chat.turn(quiet=QUIET))
            await chat.say(NORMAL)
            return session, reply, text_of(await chat.turn())
        finally:
            await chat.close()
    return in_thread(work)


def new_session() -> dict[str, str]:
    return {"session_id": uuid.uuid4().hex}


def text(message: str) -> Payload:
    """A text as the widget sends it."""
    return lambda session: {"message": message, "session_id": session}


@pytest.mark.parametrize("case", params())
def test_odd_text_is_answered(assistant: Assistant, case: Case) -> None:
    _, reply, normal = exchange(assistant, text(case.text), new_session())
    assert reply.strip() and reply != UNREADABLE
    assert case.expect is None or case.expect in reply
    assert PHONE in normal


@pytest.mark.parametrize("payload", [
    lambda session: "hello", lambda session: 42, lambda session: ["你好"], lambda session: None,
    lambda session: ("你好", session), lambda session: {"message": 42, "session_id": session},
    lambda session: {"message": ["你好"], "session_id": session},
    lambda session: {"message": None, "session_id": session},
    lambda session: {"message": {"text": "你好"}, "session_id": session}, lambda session: {"session_id": session},
    lambda session: {"message": "你好"}, lambda session: {"message": "你好", "session_id": 5},
    lambda session: {"message": "你好", "session_id": [session]}, lambda session: {"message": "你好", "session_id": ""},
    lambda session: {"message": "你好", "session_id": "s" * (MAX_SENDER + 1)},
], ids=["string", "number", "list", "no-data", "two-arguments", "message-number", "message-list", "message-null",
        "message-object", "no-message", "no-session", "session-number", "session-list", "session-empty",
        "session-too-long"])
def test_unusable_message_gets_a_note(assistant: Assistant, payload: Payload) -> None:
    _, reply, normal = exchange(assistant, payload, new_session())
    assert reply == UNREADABLE
    assert PHONE in normal


@pytest.mark.parametrize("metadata", ["[1]", "not json", 5, ["x"], {"region": 5}, {"region_hint": ["x"]},
                                      {"region_hint": "<script>alert(1)</script>"}, {"region": {"a": 1}}],
                         ids=["json-list", "not-json", "number", "list", "region-number", "hint-list", "hint-markup",
                              "region-object"])
def test_odd_metadata_is_ignored(assistant: Assistant, metadata: Any) -> None:
    _, reply, normal = exchange(assistant, lambda session: {"message": "你好", "session_id": session,
                                                           "metadata": metadata}, new_session())
    assert reply.strip() and reply != UNREADABLE
    assert PHONE in normal


@pytest.mark.parametrize("session_request", [None, "s", 42, ["s"], {}, {"session_id": 5}, {"session_id": ["s"]},
                                             {"session_id": ""}, {"session_id": "s" * (MAX_SENDER + 1)},
                                             ({"session_id": 5}, "extra")],
                         ids=["no-data", "string", "number", "list", "empty", "id-number", "id-list", "id-empty",
                              "id-too-long", "two-arguments"])
def test_odd_session_request_gets_a_new_session(assistant: Assistant, session_request: Any) -> None:
    session, reply, normal = exchange(assistant, text("你好"), session_request)
    assert isinstance(session, str) and len(session) == 32 and reply.strip()
    assert PHONE in normal


def test_oversized_message_only_drops_its_connection(assistant: Assistant) -> None:
    async def send_too_much() -> bool:
        chat = Chat()
        try:
            await chat.open(assistant.url("rasa"), new_session())
            await chat.say("医" * 400_000)  # over engine.io's 1 MB for one request
            deadline = time.monotonic() + TIMEOUT
            while chat.client.connected and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return chat.client.connected
        finally:
            await chat.close()
    assert in_thread(send_too_much) is False
    assert PHONE in exchange(assistant, text(NORMAL), new_session())[1]


def test_servers_still_up(assistant: Assistant) -> None:
    assert_servers_up(assistant)
