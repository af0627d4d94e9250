"""The maintainers' review on the pages server, behind the token YIBAO_REVIEW_TOKEN (off without it: 404).

GET /review/?token=…&since=DAYS        the review page (counts per problem, day, service and place; the most
                                       frequent unanswered wordings; every flagged question with its answer)
GET /api/review?since=DAYS             the same as JSON; GET /api/review/export.csv and export.jsonl: the
                                       exports of `python -m bot review`
The API takes the token as ``Authorization: Bearer …`` (or ``?token=``, which the page's links carry).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot import paths
from bot.review.cli import default_endpoints, since
from bot.review.exchanges import Exchange, stored
from bot.review.report import summary, write_csv, write_jsonl

TOKEN_VARIABLE = "YIBAO_REVIEW_TOKEN"


def _token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.query.get("token", "")


def check_access(request: web.Request) -> None:
    """404 when the review is off (no token configured), 401 without the right token."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        raise web.HTTPNotFound(text="the review is off: set YIBAO_REVIEW_TOKEN")
    if not hmac.compare_digest(_token(request).encode(), token.encode()):
        raise web.HTTPUnauthorized(text="the review needs its token")


def _days(request: web.Request) -> float | None:
    try:
        days = float(request.query.get("since") or 0)
    except ValueError as error:
        raise web.HTTPBadRequest(text="since: a number of days") from error
    return days if days > 0 else None


async def _exchanges(request: web.Request) -> list[Exchange]:
    check_access(request)
    after = since(_days(request))
    domain = paths.ROOT / "domain.yml"
    return await asyncio.to_thread(lambda: list(stored(default_endpoints(), domain, after)))


async def api(request: web.Request) -> web.Response:
    """GET /api/review: the summary as JSON."""
    return web.json_response(summary(await _exchanges(request)))


async def export(request: web.Request) -> web.FileResponse | web.Response:
    """GET /api/review/export.csv or export.jsonl."""
    found = await _exchanges(request)
    kind = request.match_info["kind"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"review.{kind}"
        (write_csv if kind == "csv" else write_jsonl)(found, path)
        body = path.read_bytes()
    content_type = "text/csv" if kind == "csv" else "application/x-ndjson"
    disposition = f'attachment; filename="review.{kind}"'
    return web.Response(body=body, content_type=content_type, headers={"Content-Disposition": disposition})


async def page(request: web.Request) -> web.Response:
    """GET /review/: the review as a page (no script: everything is rendered here, escaped)."""
    report = summary(await _exchanges(request))
    query = {"token": _token(request)} | ({"since": request.query["since"]} if _days(request) else {})
    text = render(report, urlencode(query))
    return web.Response(text=text, content_type="text/html")  # the pages' CSP (bot.web.server)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def render(report: dict[str, Any], query: str) -> str:
    """The review page of a summary (bot.review.report.summary); ``query`` carries the token to the
    exports."""
    labels = report["labels"]
    problems = [[labels[name], count] for name, count in report["problems"].items()]
    groups = [[g["service"], g["place"], g["count"]] for g in report["per_service"]]
    items = [
        [
            item["time"],
            item["channel"],
            item["question"],
            "、".join(labels[p] for p in item["problems"]),
            "、".join(item["reasons"]),
            item["service"] or "",
            item["region"] or "",
            item["reply"][:300],
            f"{item['label']['service']}（{item['label']['region']}）" if item["label"] else "",
        ]
        for item in report["items"]
    ]
    exports = f'<a href="/api/review/export.csv?{html.escape(query)}">CSV</a> · ' + (
        f'<a href="/api/review/export.jsonl?{html.escape(query)}">JSONL（评测格式，标注后 make learn）</a>'
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>医保办事助手 · 问题回顾</title>'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/review.css"></head><body>'
        "<h1>问题回顾</h1>"
        f'<p class="totals">共 <b id="questions">{report["questions"]}</b> 个提问，需回顾 '
        f'<b id="flagged">{report["flagged"]}</b> 个；👍 <b id="up">{report["thumbs_up"]}</b> · 👎 '
        f'<b id="down">{report["thumbs_down"]}</b>。导出：{exports}</p>'
        '<h2>按问题</h2><div id="problems">' + _table(["问题", "次数"], problems) + "</div>"
        '<h2>按日期</h2><div id="days">'
        + _table(["日期", "次数"], [list(pair) for pair in report["per_day"].items()])
        + '</div><h2>按事项和地区</h2><div id="services">'
        + _table(["事项", "地区", "次数"], groups)
        + '</div><h2>最常见的未答问题</h2><div id="unanswered">'
        + _table(["问法", "次数"], [[w["text"], w["count"]] for w in report["top_unanswered"]])
        + '</div><h2>需回顾的提问</h2><div id="items">'
        + _table(["时间", "渠道", "提问", "问题", "原因", "事项", "地区", "回答", "更正"], items)
        + "</div></body></html>"
    )
