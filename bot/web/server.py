"""The pages server: the web chat widget with its demo page, and the 12345 hotline helper with its JSON API.

GET /                 demo page of a 医保局 site embedding the widget with one script tag
GET /widget.js …      the widget and its files (static/)
GET /hotline/         the hotline helper (static/hotline/)
POST /api/hotline/ask, GET /api/hotline/regions   see HOTLINE_API.md
GET /health           {"status": "ok"}
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.kb.store import KnowledgeBase
from bot.web import hotline
from bot.web.regions import RegionIndex

STATIC = Path(__file__).with_name("static")
MAX_BODY = 64 * 1024
logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class PagesConfig:
    """Where the pages listen and where the Rasa server is (for the API, and for the browser)."""

    port: int = 8000
    host: str = "0.0.0.0"
    rasa_port: int = 5005
    rasa_public_url: str | None = (
        None  # what browsers use for socket.io; default: this page's host, rasa_port
    )

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def public_rasa_url(self, request: web.Request) -> str:
        host = request.host  # "name:port" as the browser asked for this page
        name = host if host.endswith("]") or ":" not in host else host.rsplit(":", 1)[0]
        return self.rasa_public_url or f"{request.scheme}://{name}:{self.rasa_port}"


CONFIG = web.AppKey("config", PagesConfig)


@web.middleware
async def api_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Errors of /api/ as JSON {"error": …} with their own status; an unexpected one as a JSON 500."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return web.json_response({"error": _message(error)}, status=error.status)
    except Exception:  # noqa: BLE001 - any other failure is ours: logged, and a clean answer
        logger.exception("%s %s failed", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)


def _message(error: web.HTTPException) -> str:
    """An HTTPException's message: its text, unless that is only the "404: Not Found" aiohttp fills in."""
    text = (error.text or "").strip()
    return error.reason if not text or text.startswith(f"{error.status}:") else text


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


async def index(request: web.Request) -> web.Response:
    """The demo page, its one script tag pointing at this Rasa server."""
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    rasa = request.app[CONFIG].public_rasa_url(request)
    page = page.replace("{{RASA_URL}}", html.escape(rasa, quote=True))
    csp = (
        f"default-src 'self'; connect-src 'self' {rasa} {rasa.replace('http', 'ws', 1)}; img-src 'self' data:"
    )
    return web.Response(text=page, content_type="text/html", headers={"Content-Security-Policy": csp})


async def hotline_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        STATIC / "hotline" / "index.html",
        headers={"Content-Security-Policy": "default-src 'self'; img-src 'self' data:"},
    )


async def hotline_slash(request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect("/hotline/")


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client to the Rasa server for the whole run (an aiohttp cleanup context)."""
    app[hotline.RASA] = hotline.RasaClient(aiohttp.ClientSession(), app[CONFIG].rasa_url)
    yield
    await app[hotline.RASA].session.close()


def create_app(config: PagesConfig, kb: KnowledgeBase | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[api_errors, security_headers])
    app[CONFIG] = config
    app[hotline.REGIONS] = RegionIndex(kb or KnowledgeBase())
    app.cleanup_ctx.append(_client)
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/hotline", hotline_slash)
    app.router.add_get("/hotline/", hotline_page)
    app.router.add_post("/api/hotline/ask", hotline.ask)
    app.router.add_get("/api/hotline/regions", hotline.regions)
    app.router.add_static("/", STATIC)
    return app


def run(config: PagesConfig) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    web.run_app(create_app(config), host=config.host, port=config.port, print=None, access_log=None)
