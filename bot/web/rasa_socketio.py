"""Rasa's socket.io channel, fixed for python-socketio 5.x; the web chat widget talks to it.

Rasa 3.6's own channel breaks in two ways with the python-socketio it installs:
- `session_request` calls the coroutine `AsyncServer.enter_room` without awaiting it, so with
  session_persistence the browser never joins its session's room and receives no answer (RasaHQ/rasa#13027);
- a custom payload is unpacked into `emit`'s keyword arguments, which raises TypeError and aborts the
  turn (RasaHQ/rasa#8445). Here it is sent as {"custom": payload}, the shape of the REST channel.

Same name ("socketio"), same settings (credentials.yml's `socketio` section), same events.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable

from rasa.core.channels import socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from bot.channels.guarded import guarded

logger = logging.getLogger(__name__)


class SocketIOOutput(socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(socketio.SocketIOInput):
    """The socket.io input channel with the session room joined and custom payloads sent as data."""

    def get_output_channel(self) -> SocketIOOutput | None:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)  # an apology with 12345 when the turn fails or is too slow
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session_id = (data.get("session_id") if isinstance(data, dict) else None) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender = data.get("session_id") if self.session_persistence else sid
            if not sender:
                logger.warning("socket.io message without a session_id (send session_request first): ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await on_new_message(UserMessage(str(data.get("message", "")), SocketIOOutput(sio, self.bot_message_evt),
                                             str(sender), input_channel=self.name(), metadata=metadata))

        return blueprint
