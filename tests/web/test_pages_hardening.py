"""The pages server's defences: the API takes POSTs only as JSON and, from a browser, only from its own pages;
every HTML page has a Content-Security-Policy and no template is served unrendered. Real HTTP on loopback to the
running assistant (and to a pages server of its own for YIBAO_ALLOWED_ORIGINS); a foreign page in Chromium."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPMessage
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, expect

from bot import paths
from bot.batch import free_port
from bot.web.server import STATIC
from running import Assistant, post_json

ASK = "/api/hotline/ask"
QUESTION, FOLLOW_UP = "沙湾区住院报销打哪个电话", "那峨眉山呢？"
PROXY_ORIGIN = "https://12345.example.gov.cn"  # what YIBAO_ALLOWED_ORIGINS lets in on the pages server alone


@dataclass(frozen=True)
class Reply:
    status: int
    headers: HTTPMessage
    body: bytes

    def json(self) -> dict:
        assert self.headers.get_content_type() == "application/json", self
        return json.loads(self.body)


def send(base: str, path: str, method: str = "GET", body: bytes | None = None,
         headers: dict[str, str] | None = None) -> Reply:
    """One request with exactly this path (sent as it is) and these headers; redirects are not followed."""
    parts = urllib.parse.urlsplit(base)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def post(base: str, body: dict, content_type: str | None = "application/json", **headers: str) -> Reply:
    content = {"Content-Type": content_type} if content_type else {}
    return send(base, ASK, "POST", json.dumps(body).encode(), content | headers)


def call_id() -> str:
    return "hard-" + uuid.uuid4().hex[:10]


def service_of_follow_up(assistant: Assistant, call: str) -> str | None:
    """The service a follow-up of ``call`` keeps: None unless the call's first question reached the assistant."""
    return post_json(assistant.url("pages", ASK), {"call_id": call, "text": FOLLOW_UP})["service"]


# ---- only JSON ----

@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "text/json", "application/json-patch+json", None,
])
def test_a_post_that_is_not_json_is_refused_with_415(assistant: Assistant, content_type: str | None) -> None:
    call = call_id()
    reply = post(assistant.url("pages"), {"call_id": call, "text": QUESTION}, content_type)
    assert reply.status == 415 and reply.json()["error"]
    assert service_of_follow_up(assistant, call) is None  # refused before it reached the assistant


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_json_with_or_without_charset_is_answered(assistant: Assistant, content_type: str) -> None:
    reply = post(assistant.url("pages"), {"call_id": call_id(), "text": QUESTION}, content_type)
    assert reply.status == 200 and reply.json()["service"] == "住院费用报销"


# ---- only from these pages ----

def test_a_post_from_another_origin_is_refused_with_403(assistant: Assistant) -> None:
    pages = assistant.url("pages")
    port = urllib.parse.urlsplit(pages).port
    for origin in ("http://evil.example", "null", f"https://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}",
                   PROXY_ORIGIN):
        call = call_id()
        reply = post(pages, {"call_id": call, "text": QUESTION}, Origin=origin)
        assert reply.status == 403 and reply.json()["error"], origin
        assert service_of_follow_up(assistant, call) is None, origin


def test_a_post_from_the_pages_own_origin_is_answered(assistant: Assistant) -> None:
    """The origin as the browser addressed the pages, whatever name it used for them."""
    port = urllib.parse.urlsplit(assistant.url("pages")).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        reply = post(assistant.url("pages"), {"call_id": call_id(), "text": QUESTION}, Origin=f"http://{host}",
                     Host=host)
        assert reply.status == 200 and reply.json()["service"] == "住院费用报销", host


@pytest.mark.parametrize("path", ["/api/hotline/regions", "/api/hotline/nothing"])
def test_every_post_under_api_is_checked(assistant: Assistant, path: str) -> None:
    pages = assistant.url("pages")
    plain = send(pages, path, "POST", b"{}", {"Content-Type": "text/plain"})
    assert plain.status == 415 and plain.json()["error"]
    foreign = send(pages, path, "POST", b"{}", {"Content-Type": "application/json", "Origin": "http://evil.example"})
    assert foreign.status == 403 and foreign.json()["error"]


@pytest.fixture(scope="module")
def pages_alone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m bot.web` on its own loopback port with YIBAO_ALLOWED_ORIGINS set (no Rasa behind it: a body
    the API refuses as malformed shows that a request got past the origin check)."""
    port = free_port()
    env = os.environ | {"YIBAO_PAGES_PORT": str(port), "YIBAO_PAGES_HOST": "127.0.0.1",
                        "YIBAO_RASA_PORT": str(free_port()),
                        "YIBAO_ALLOWED_ORIGINS": f" {PROXY_ORIGIN}/ , http://other.example:8080"}
    log = tmp_path_factory.mktemp("pages") / "pages.log"
    process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=paths.ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if send(base, "/health").status == 200:
                return
        except OSError:  # not listening yet
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the pages server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def test_allowed_origins_come_from_the_environment(pages_alone: str) -> None:
    malformed = {"call_id": "../etc", "text": QUESTION}  # 400 once past the origin check
    for origin in (PROXY_ORIGIN, PROXY_ORIGIN.upper(), "http://other.example:8080", pages_alone):
        assert post(pages_alone, malformed, Origin=origin).status == 400, origin
    for origin in ("https://12345.example.gov.cn.evil.example", "http://12345.example.gov.cn", "http://other.example"):
        reply = post(pages_alone, malformed, Origin=origin)
        assert reply.status == 403 and reply.json()["error"], origin


def test_a_malformed_allowed_origin_stops_the_server() -> None:
    env = os.environ | {"YIBAO_ALLOWED_ORIGINS": "12345.example.gov.cn", "YIBAO_PAGES_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "bot.web"], cwd=paths.ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "not an origin" in done.stderr


def test_a_foreign_page_cannot_make_the_operators_browser_ask(
        assistant: Assistant, foreign_site: Callable[[str], str], new_context: Callable[..., BrowserContext]) -> None:
    """The two ways a page of any site can POST without a CORS preflight: a fetch without CORS and a form."""
    fetched, posted = call_id(), call_id()
    target = assistant.url("pages", ASK)
    body = json.dumps({"call_id": fetched, "text": QUESTION})
    script = (f"<script>fetch({json.dumps(target)}, {{method: 'POST', mode: 'no-cors', "
              f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(body)}}})"
              ".then(() => { document.title = 'sent'; });</script>")
    # text/plain form encoding sends name=value: the name carries the JSON, the value closes it.
    name = json.dumps({"call_id": posted, "text": QUESTION, "pad": ""})[:-2]
    form = (f'<form method="post" enctype="text/plain" action="{target}">'
            f'<input type="hidden" name=\'{name}\' value=\'"}}\'></form>'
            "<script>document.forms[0].submit();</script>")
    page = new_context().new_page()
    with page.expect_response(target) as fetch_response:
        page.goto(foreign_site(script))
    expect(page).to_have_title("sent")
    with page.expect_response(target) as form_response:
        page.goto(foreign_site(form))
    assert fetch_response.value.status == 403 and form_response.value.status == 403
    assert service_of_follow_up(assistant, fetched) is None and service_of_follow_up(assistant, posted) is None


# ---- HTML pages ----

def html_paths() -> list[str]:
    """Every HTML file of static/ by the path the static route serves it at."""
    return ["/" + page.relative_to(STATIC).as_posix() for page in sorted(STATIC.rglob("*.html"))]


def test_there_are_html_pages_to_check() -> None:
    assert {"/index.html", "/hotline/index.html"} <= set(html_paths())


@pytest.mark.parametrize("path, folder", [
    ("/index.html", "/"), ("/index.html?x=1", "/?x=1"), ("/index.html/", "/"), ("//index.html", "/"),
    ("/hotline/../index.html", "/"), ("/hotline/index.html", "/hotline/"), ("/hotline//index.html", "/hotline/"),
    ("/hotline/index.html/", "/hotline/"),
])
def test_an_index_html_redirects_to_its_folder(assistant: Assistant, path: str, folder: str) -> None:
    """The folder's own route renders the page and sets its CSP; the static route would serve the template."""
    reply = send(assistant.url("pages"), path)
    assert reply.status == 308 and reply.headers["Location"] == folder


def test_a_redirect_never_leaves_the_site(assistant: Assistant) -> None:
    for path in ("//evil.example/index.html", "/nothing/index.html", "/vendor/index.html"):
        reply = send(assistant.url("pages"), path)
        assert reply.status >= 400 and "Location" not in reply.headers, path


def fetch_page(base: str, path: str) -> Reply:
    """GET ``path``, following the site's own redirects."""
    for _ in range(3):
        reply = send(base, path)
        if reply.status not in (301, 302, 307, 308):
            return reply
        path = reply.headers["Location"]
        assert path.startswith("/") and not path.startswith("//")
    raise AssertionError(f"too many redirects at {path}")


@pytest.mark.parametrize("path", [*html_paths(), "/", "/hotline/", "/hotline"])
def test_every_html_page_is_rendered_and_has_a_csp(assistant: Assistant, path: str) -> None:
    reply = fetch_page(assistant.url("pages"), path)
    assert reply.status == 200 and reply.headers.get_content_type() == "text/html"
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert b"{{" not in reply.body  # no placeholder left


def test_index_html_is_the_demo_page_with_its_csp(assistant: Assistant) -> None:
    pages = assistant.url("pages")
    demo, via_file = send(pages, "/"), fetch_page(pages, "/index.html")
    assert via_file.body == demo.body and assistant.url("rasa").encode() in demo.body
    csp = via_file.headers["Content-Security-Policy"]
    assert csp == demo.headers["Content-Security-Policy"] and assistant.url("rasa") in csp


def test_the_widget_connects_from_index_html(assistant: Assistant, new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(assistant.url("pages", "/index.html"))
    assert page.url == assistant.url("pages", "/")
    if page.locator(".yb-launcher").is_visible():
        page.locator(".yb-launcher").click()
    expect(page.locator(".yb-status")).to_have_text("在线")
