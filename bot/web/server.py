"""The pages server: the web chat widget with its demo page, and the 12345 hotline helper with its JSON API.

GET /                 demo page of a 医保局 site embedding the widget with one script tag
GET /widget.js …      the widget and its files (static/)
GET /hotline/         the hotline helper (static/hotline/)
POST /api/hotline/ask, POST /api/hotline/feedback, GET /api/hotline/regions   see HOTLINE_API.md
GET /review/, GET /api/review…   the maintainers' review, behind YIBAO_REVIEW_TOKEN (bot.web.review)
GET /health           {"status": "ok"}

Every HTML page has a Content-Security-Policy; …/index.html redirects to its folder, so the demo page's
template is never served unrendered. A POST under /api/ must be JSON and, from a browser, come from these
pages (`same_origin_posts`).
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
from bot.web import hotline, review
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
    # Origins besides the pages' own whose pages may POST to /api/ ("https://12345.example.gov.cn"): the
    # address browsers use when a proxy in front changes the scheme or host the pages server sees.
    allowed_origins: tuple[str, ...] = ()

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def public_rasa_url(self, request: web.Request) -> str:
        host = request.host  # "name:port" as the browser asked for this page
        name = host if host.endswith("]") or ":" not in host else host.rsplit(":", 1)[0]
        return self.rasa_public_url or f"{request.scheme}://{name}:{self.rasa_port}"


CONFIG = web.AppKey("config", PagesConfig)
# The pages' own CSP; the demo page (`index`) adds the Rasa server it talks to.
PAGE_CSP = "default-src 'self'; img-src 'self' data:"


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
async def same_origin_posts(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A POST under /api/ only as JSON, and only from these pages when a browser says where it comes from.

    A browser sends a cross-site text/plain or form POST without asking first (no CORS preflight), so a
    foreign page could otherwise make an operator's browser ask; curl and servers send no Origin."""
    if request.method == "POST" and request.path.startswith("/api/"):
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in _own_origins(request):
            raise web.HTTPForbidden(text=f"origin {origin} may not post here")
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="the body must be Content-Type: application/json")
    return await handler(request)


def _own_origins(request: web.Request) -> set[str]:
    """The pages' origin as the browser addressed them, and the configured ones, in lower case."""
    allowed = request.app[CONFIG].allowed_origins
    return {f"{request.scheme}://{request.host}".lower(), *(o.lower().rstrip("/") for o in allowed)}


@web.middleware
async def index_to_folder(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A folder's index.html redirects to the folder: the static route would serve the demo page's template
    unrendered."""
    folder = _index_folder(request.path)
    if folder:
        raise web.HTTPPermanentRedirect(request.rel_url.with_path(folder).with_query(request.query))
    return await handler(request)


def _index_folder(path: str) -> str | None:
    """The folder ("/", "/hotline/") whose index.html ``path`` names as the static route reads it ("//" and a
    trailing "/" too), else None. Taken from the files, so that it never points off-site ("//elsewhere/")."""
    if "index.html" not in path:
        return None
    root = STATIC.resolve()
    file = (root / path.lstrip("/")).resolve()
    if file.name != "index.html" or not file.is_file() or not file.is_relative_to(root):
        return None
    folder = file.parent.relative_to(root).as_posix()
    return "/" if folder == "." else f"/{folder}/"


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response as it is sent (static files and errors too): nosniff, and a CSP on any HTML page
    that has none of its own."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.content_type == "text/html":
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)


async def index(request: web.Request) -> web.Response:
    """The demo page, its one script tag pointing at this Rasa server."""
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    rasa = request.app[CONFIG].public_rasa_url(request)
    page = page.replace("{{RASA_URL}}", html.escape(rasa, quote=True))
    csp = f"{PAGE_CSP}; connect-src 'self' {rasa} {rasa.replace('http', 'ws', 1)}"
    return web.Response(text=page, content_type="text/html", headers={"Content-Security-Policy": csp})


async def hotline_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "hotline" / "index.html")


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
    app = web.Application(
        client_max_size=MAX_BODY, middlewares=[api_errors, same_origin_posts, index_to_folder]
    )
    # aiohttp 3.9 types its signals the way aiosignal did before 1.4: a false arg-type error.
    app.on_response_prepare.append(security_headers)  # type: ignore[arg-type]
    app[CONFIG] = config
    kb = kb or KnowledgeBase()
    app[hotline.REGIONS] = RegionIndex(kb)
    app[hotline.SERVICES] = frozenset(service.name for service in kb.services.values())
    app.cleanup_ctx.append(_client)
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/hotline", hotline_slash)
    app.router.add_get("/hotline/", hotline_page)
    app.router.add_post("/api/hotline/ask", hotline.ask)
    app.router.add_post("/api/hotline/feedback", hotline.feedback)
    app.router.add_get("/review/", review.page)
    app.router.add_get("/api/review", review.api)
    app.router.add_get("/api/review/export.{kind:csv|jsonl}", review.export)
    app.router.add_get("/api/hotline/regions", hotline.regions)
    app.router.add_static("/", STATIC)
    return app


def run(config: PagesConfig) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    web.run_app(create_app(config), host=config.host, port=config.port, print=None, access_log=None)
