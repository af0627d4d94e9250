"""A reply guarantee for Rasa's channels (REST here; socket.io in bot.web.rasa_socketio): a citizen always
gets an answer in time.

If the turn fails (action server down) or is still running when the channel's time limit passes (action
server slow), the citizen gets an apology that points to 12345; a late answer still follows on socket.io.
The time limit comes from YIBAO_REPLY_TIMEOUT (seconds, default 10).

Each channel keeps its conversations apart from the others' (bot.channels.senders).

A REST body the channel cannot take (not JSON, not an object, ``message`` not a string, no ``sender``…) gets
a JSON 4xx ``{"error": …}`` instead of Rasa's 500 or an empty answer.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.senders import MAX_SENDER, conversation_id
from bot.dialogue.wording import APOLOGY

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # bytes; 10,000 emoji JSON-escaped take 120 KB
Handler = Callable[[UserMessage], Awaitable[Any]]


def reply_timeout() -> float:
    return float(os.environ.get("YIBAO_REPLY_TIMEOUT", "10"))


def guarded(on_new_message: Handler, channel: str, timeout: Callable[[], float] = reply_timeout) -> Handler:
    """``on_new_message`` that sends the apology when the turn fails, says nothing, or takes too long.

    The conversation is ``channel``'s own (`conversation_id`); replies still go to the client's own address
    (its socket.io room, its REST sender)."""

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        send_response = output.send_response
        recipient = message.sender_id
        message.sender_id = conversation_id(channel, recipient)
        sent: list[int] = []

        async def counting(recipient_id: str, reply: dict[str, Any]) -> None:
            sent.append(1)
            await send_response(recipient, reply)

        output.send_response = counting
        task = asyncio.ensure_future(on_new_message(message))
        done, _ = await asyncio.wait({task}, timeout=timeout())
        failed = bool(done) and task.exception() is not None
        if failed:
            logger.error("turn failed for a message on %s: %r", message.input_channel, task.exception())
        if failed or not done or not sent:
            await send_response(recipient, {"text": APOLOGY})

    return handle


def body_problem(body: object) -> str | None:
    """What makes a REST body unusable: ``sender`` (1 to MAX_SENDER characters) and ``message`` strings,
    ``metadata`` an object, ``input_channel`` a string; None when it is fine."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER:
        return f"sender: a string of 1 to {MAX_SENDER} characters"
    if not isinstance(body.get("message"), str):
        return "message: a string"
    if not isinstance(body.get("metadata") or {}, dict):
        return "metadata: an object"
    if not isinstance(body.get("input_channel") or "", str):
        return "input_channel: a string"
    return None


async def refuse_bad_body(request: Request) -> HTTPResponse | None:
    """Sanic request middleware: a JSON 4xx for a POST the REST channel cannot take (413 when too large)."""
    if request.method != "POST":
        return None
    if len(request.body) > MAX_BODY:
        return response.json({"error": f"the body is over {MAX_BODY} bytes"}, status=413)
    try:
        request.body.decode("utf-8")  # Sanic's JSON parser lets some invalid UTF-8 through, garbled
        problem = body_problem(request.json)
    except (UnicodeDecodeError, InvalidUsage):
        problem = "the body is not valid JSON in UTF-8"
    return response.json({"error": problem}, status=400) if problem else None


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook, answering within the time limit; bad bodies are refused
    (`refuse_bad_body`)."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message, self.name()))
        blueprint.middleware(refuse_bad_body, "request")
        return blueprint
