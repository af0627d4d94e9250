"""Requests with any body, the checks the bad-input tests share, and whether the servers are still up."""
from __future__ import annotations

import http.client
import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from running import Assistant

TIMEOUT = 30  # seconds for any request: a hang fails the test instead of blocking the run


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, whatever its status."""

    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def send(url: str, body: bytes | None = None, content_type: str | None = "application/json",
         method: str = "POST") -> Answer:
    """One request with exactly this body and content type (none when None)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body,
                           {"Content-Type": content_type} if content_type else {})
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


def send_json(url: str, value: Any) -> Answer:
    return send(url, json.dumps(value).encode())


def assert_refused(answer: Answer, status: int = 400) -> None:
    """A clean refusal: that status with a JSON ``{"error": "<what is wrong>"}``."""
    assert answer.status == status, answer
    assert answer.content_type.startswith("application/json"), answer
    error = answer.json()["error"]
    assert isinstance(error, str) and error


def errors_logged(assistant: Assistant, offset: int) -> list[str]:
    """Error lines and tracebacks the servers logged past ``offset`` bytes of their log."""
    with assistant.log.open("rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    return [line for line in lines if " ERROR " in line or line.startswith("Traceback")]


def children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except OSError:  # the process ended meanwhile
            continue
        if int(parent) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def assert_servers_up(assistant: Assistant) -> None:
    """`python -m bot serve` and its three servers (actions, Rasa, pages) are running and answering."""
    assert assistant.process.poll() is None
    assert len(children(assistant.process.pid)) >= 3
    for server, path in (("rasa", "/"), ("actions", "/health"), ("pages", "/health")):
        assert send(assistant.url(server, path), method="GET").status == 200, server
