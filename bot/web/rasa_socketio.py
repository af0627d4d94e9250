"""Rasa's socket.io channel, fixed for python-socketio 5.x; the web chat widget talks to it.

Rasa 3.6's own channel breaks in two ways with the python-socketio it installs:
- `session_request` calls the coroutine `AsyncServer.enter_room` without awaiting it, so with
  session_persistence the browser never joins its session's room and receives no answer (RasaHQ/rasa#13027);
- a custom payload is unpacked into `emit`'s keyword arguments, which raises TypeError and aborts the
  turn (RasaHQ/rasa#8445). Here it is sent as {"custom": payload}, the shape of the REST channel.

A `user_uttered` the channel cannot take (no data or not an object, `message` not a string, no usable
`session_id`) gets `UNREADABLE` back instead of silence; a `session_request` without a `session_id` string
of 1 to MAX_SENDER characters gets a new one. Events with missing or extra arguments are handled, not a
TypeError. Its conversations are ``socketio:`` + the session (bot.channels.senders).

Same name ("socketio"), same settings (credentials.yml's `socketio` section), same events.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from bot.channels.guarded import guarded
from bot.channels.senders import MAX_SENDER

logger = logging.getLogger(__name__)

UNREADABLE = "抱歉，没有收到能看懂的文字消息。请直接输入您的问题，比如：“沙湾区住院报销打哪个电话？”"


def session_id_of(data: Any) -> str | None:
    """The ``session_id`` of an event's data when it is a string of 1 to MAX_SENDER characters."""
    session_id = data.get("session_id") if isinstance(data, dict) else None
    return session_id if isinstance(session_id, str) and 0 < len(session_id) <= MAX_SENDER else None


def metadata_of(value: Any) -> dict[str, Any]:
    """The message metadata: an object, or a string holding a JSON object; anything else counts as none."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


class SocketIOOutput(socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(socketio.SocketIOInput):
    """The socket.io input channel with the session room joined and custom payloads sent as data."""

    def get_output_channel(self) -> SocketIOOutput | None:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # an apology with 12345 when the turn fails or is too slow
        on_new_message = guarded(on_new_message, self.name())
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            session_id = session_id_of(data) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            sender = session_id_of(data) if self.session_persistence else sid
            text = data.get("message") if isinstance(data, dict) else None
            if not sender or not isinstance(text, str):
                logger.warning(
                    "socket.io message without a text or a session_id (session_request first): %.200r", data
                )
                await sio.emit(self.bot_message_evt, {"text": UNREADABLE}, room=sid, namespace=self.namespace)
                return
            metadata = metadata_of(data.get(self.metadata_key))
            await on_new_message(
                UserMessage(
                    text,
                    SocketIOOutput(sio, self.bot_message_evt),
                    sender,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return blueprint
