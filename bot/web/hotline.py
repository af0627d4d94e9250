"""The hotline helper's JSON API (HOTLINE_API.md): a caller's question forwarded to the assistant, and
regions.

Each call is one conversation of the assistant (``hotline:<call_id>`` on the Rasa server's hotline channel,
bot.channels.hotline), so follow-ups keep the service and the place; a region the operator picked goes along
as message metadata and applies to that question.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.hotline import TOKEN_HEADER, TOKEN_VARIABLE
from bot.channels.payload import answer_data
from bot.dialogue.compose import place_name
from bot.web.regions import RegionIndex

CALL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TEXT = 500  # characters of one question
MAX_QUERY = 50  # characters of a region name or search
MAX_REGIONS = 50
RASA_TIMEOUT = aiohttp.ClientTimeout(total=60)

json_response = partial(web.json_response, dumps=partial(json.dumps, ensure_ascii=False))


def bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=message)


@dataclass(frozen=True)
class Question:
    """A validated ask request; ``region`` is a region path or None."""

    call_id: str
    text: str
    region: str | None

    @classmethod
    def parse(cls, body: object, regions: RegionIndex) -> Question:
        if not isinstance(body, dict):
            raise bad_request("the body must be a JSON object")
        call_id, text, region = body.get("call_id"), body.get("text"), body.get("region")
        if not isinstance(call_id, str) or not CALL_ID.fullmatch(call_id):
            raise bad_request("call_id: 1 to 64 letters, digits, '-' or '_'")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("text: the caller's question is missing")
        if len(text) > MAX_TEXT:
            raise bad_request(f"text: at most {MAX_TEXT} characters")
        if region in (None, ""):
            return cls(call_id, text.strip(), None)
        path = regions.resolve(region) if isinstance(region, str) and len(region) <= MAX_QUERY else None
        if not path:
            raise bad_request("region: not a region of the knowledge base")
        return cls(call_id, text.strip(), path)


@dataclass(frozen=True)
class Verdict:
    """A validated feedback request: the operator's right or wrong on the call's latest answer; when wrong,
    the right service (a 事项名称, or "none") and place (a region path) where the operator picked them."""

    call_id: str
    right: bool
    service: str | None
    region: str | None

    @classmethod
    def parse(cls, body: object, regions: RegionIndex, services: frozenset[str]) -> Verdict:
        if not isinstance(body, dict):
            raise bad_request("the body must be a JSON object")
        call_id, right = body.get("call_id"), body.get("right")
        if not isinstance(call_id, str) or not CALL_ID.fullmatch(call_id):
            raise bad_request("call_id: 1 to 64 letters, digits, '-' or '_'")
        if not isinstance(right, bool):
            raise bad_request("right: true or false")
        service, region = body.get("service"), body.get("region")
        if service not in (None, "") and (not isinstance(service, str) or service not in services | {"none"}):
            raise bad_request("service: a 事项名称 of the guides, or none")
        path = None
        if region not in (None, ""):
            path = regions.resolve(region) if isinstance(region, str) and len(region) <= MAX_QUERY else None
            if not path:
                raise bad_request("region: not a region of the knowledge base")
        return cls(call_id, right, service or None, path)

    def message(self) -> str:
        """What the hotline channel is sent: Rasa's ``/intent{entities}`` shortcut (bot.dialogue.feedback)."""
        if self.right:
            return "/feedback_positive"
        label = {"service": self.service, "region": self.region} if self.service else {}
        return "/feedback_negative" + (json.dumps(label, ensure_ascii=False) if label else "")


@dataclass
class RasaClient:
    """The Rasa server's hotline channel, with the token `python -m bot serve` shares
    (YIBAO_HOTLINE_TOKEN)."""

    session: aiohttp.ClientSession
    url: str

    async def say(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """The assistant's messages for one user message; 502/504 when it cannot be asked."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        headers = {TOKEN_HEADER: os.environ.get(TOKEN_VARIABLE, "")}
        try:
            async with self.session.post(
                f"{self.url}/webhooks/hotline/webhook", json=body, headers=headers, timeout=RASA_TIMEOUT
            ) as response:
                if response.status != 200:
                    raise web.HTTPBadGateway(text=f"the assistant answered HTTP {response.status}")
                messages = await response.json()
        except asyncio.TimeoutError as error:
            raise web.HTTPGatewayTimeout(text="the assistant did not answer in time") from error
        except aiohttp.ClientError as error:
            raise web.HTTPBadGateway(text="the assistant is not reachable") from error
        return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


REGIONS = web.AppKey("regions", RegionIndex)
SERVICES = web.AppKey("services", frozenset)  # the 事项名称 of the guides
RASA = web.AppKey("rasa", RasaClient)


def answer(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The assistant's text, buttons and answer data (the custom "yibao" payload) as one object."""
    data = answer_data(messages)
    region = data.get("region")
    return {
        "text": "\n".join(m["text"] for m in messages if isinstance(m.get("text"), str)),
        "buttons": [b for m in messages for b in m.get("buttons") or []],
        "service": data.get("service"),
        "region": region,
        "place": place_name(region) if region else None,
        "clarify": bool(data.get("clarify")),
        "intent": data.get("intent"),
        "confidence": data.get("confidence"),
        "candidates": data.get("candidates") or [],
        "sources": data.get("sources") or [],
        "card": data.get("card"),
    }


async def _body(request: web.Request) -> object:
    try:
        return await request.json()
    except (ValueError, RecursionError) as error:  # RecursionError: JSON nested too deep ("[[[[…")
        raise bad_request("the body is not valid JSON") from error


async def ask(request: web.Request) -> web.Response:
    """POST /api/hotline/ask {call_id, text, region?}."""
    question = Question.parse(await _body(request), request.app[REGIONS])
    metadata = {"region": question.region} if question.region else {}
    messages = await request.app[RASA].say(question.call_id, question.text, metadata)
    return json_response(answer(messages))


async def feedback(request: web.Request) -> web.Response:
    """POST /api/hotline/feedback {call_id, right, service?, region?}: kept with the call's conversation."""
    verdict = Verdict.parse(await _body(request), request.app[REGIONS], request.app[SERVICES])
    messages = await request.app[RASA].say(verdict.call_id, verdict.message(), {})
    return json_response(answer(messages))


async def regions(request: web.Request) -> web.Response:
    """GET /api/hotline/regions?q=swq&limit=10."""
    query = request.query.get("q", "")
    if len(query) > MAX_QUERY:
        raise bad_request(f"q: at most {MAX_QUERY} characters")
    try:
        limit = min(max(int(request.query.get("limit", 10)), 1), MAX_REGIONS)
    except ValueError as error:
        raise bad_request("limit: a number") from error
    found = request.app[REGIONS].search(query, limit)
    return json_response({"regions": [entry.as_json() for entry in found]})
