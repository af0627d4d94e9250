"""A reply guarantee for Rasa's channels (REST here; socket.io in bot.web.rasa_socketio): a citizen always gets an answer in time.

If the turn fails (action server down) or is still running when the channel's time limit passes (action
server slow), the citizen gets an apology that points to 12345; a late answer still follows on socket.io.
The time limit comes from YIBAO_REPLY_TIMEOUT (seconds, default 10).
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

APOLOGY = "抱歉，系统暂时无法回答您的问题，请稍后再试，或拨打12345政务服务便民热线咨询。"
Handler = Callable[[UserMessage], Awaitable[Any]]


def reply_timeout() -> float:
    return float(os.environ.get("YIBAO_REPLY_TIMEOUT", "10"))


def guarded(on_new_message: Handler, timeout: Callable[[], float] = reply_timeout) -> Handler:
    """``on_new_message`` that sends the apology when the turn fails, says nothing, or takes too long."""
    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        send_response = output.send_response
        sent: list[int] = []

        async def counting(recipient_id: str, reply: dict[str, Any]) -> None:
            sent.append(1)
            await send_response(recipient_id, reply)

        output.send_response = counting  # type: ignore[method-assign]
        task = asyncio.ensure_future(on_new_message(message))
        done, _ = await asyncio.wait({task}, timeout=timeout())
        failed = bool(done) and task.exception() is not None
        if failed:
            logger.error("turn failed for a message on %s: %r", message.input_channel, task.exception())
        if failed or not done or not sent:
            await send_response(message.sender_id, {"text": APOLOGY})
    return handle


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook, answering within the time limit."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
