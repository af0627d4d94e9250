"""The hotline helper's own channel: ``POST /webhooks/hotline/webhook`` on the Rasa server.

Rasa's REST channel (with the reply guarantee of bot.channels.guarded) for the pages server alone: a request
must carry the header ``X-Yibao-Hotline-Token`` with the value of YIBAO_HOTLINE_TOKEN, which `python -m bot
serve` shares with the pages server (a new random one each run unless it is set). Its conversations are
``hotline:<call_id>``, out of reach of the public REST channel. Without the variable the channel is off (403).
"""

from __future__ import annotations

import hmac
import os

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guarded import GuardedRestInput, Handler

TOKEN_HEADER = "X-Yibao-Hotline-Token"
TOKEN_VARIABLE = "YIBAO_HOTLINE_TOKEN"


class HotlineInput(GuardedRestInput):
    """The REST channel, for callers that know the hotline token."""

    @classmethod
    def name(cls) -> str:
        return "hotline"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        blueprint.middleware(refuse_without_token, "request")
        return blueprint


async def refuse_without_token(request: Request) -> HTTPResponse | None:
    """Sanic request middleware: 403 unless the request carries the hotline token."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    given = request.headers.get(TOKEN_HEADER, "")
    if token and hmac.compare_digest(given.encode(), token.encode()):
        return None
    return response.json({"error": f"the hotline channel needs the {TOKEN_HEADER} header"}, status=403)
