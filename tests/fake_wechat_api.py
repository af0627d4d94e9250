"""A stand-in for the WeChat API on loopback: access tokens and customer-service messages, recorded."""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.batch import free_port

TOKEN = "fake-access-token"


@dataclass
class FakeWeChatApi:
    """Serves /cgi-bin/token and /cgi-bin/message/custom/send for one appid and secret, in a thread."""

    appid: str
    secret: str
    port: int = field(default_factory=free_port)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def token(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.token_requests.append(query)
        if (query.get("appid"), query.get("secret"), query.get("grant_type")) != (
                self.appid, self.secret, "client_credential"):
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        return web.json_response({"access_token": TOKEN, "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != TOKEN:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        self.messages.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def texts_to(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.messages if m.get("touser") == openid and m.get("msgtype") == "text"]

    def wait_for_texts(self, openid: str, count: int = 1, timeout: float = 60) -> list[str]:
        """The texts sent to the user once there are ``count`` of them."""
        deadline = time.monotonic() + timeout
        while len(self.texts_to(openid)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.texts_to(openid)

    def start(self) -> None:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        self.runner = web.AppRunner(app)
        loop.run_until_complete(self.runner.setup())
        loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.loop = loop
        threading.Thread(target=loop.run_forever, daemon=True).start()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
