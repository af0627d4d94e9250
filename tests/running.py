"""The whole assistant (`python -m bot serve`) running on free loopback ports, for tests that talk to it."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot import paths
from bot.batch import free_port

# Secrets of the WeChat test account the tests sign with (the channel reads them from the environment).
WECHAT_ENV = {"WECHAT_TOKEN": "yibao-test-token", "WECHAT_APPID": "wx0123456789abcdef",
              "WECHAT_SECRET": "test-secret", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}


@dataclass
class Assistant:
    """`python -m bot serve` running on free loopback ports, with its own state folder."""

    process: subprocess.Popen
    env: dict[str, str]
    state_dir: Path
    log: Path

    def url(self, name: str, path: str = "") -> str:
        port = self.env[{"rasa": "YIBAO_RASA_PORT", "actions": "YIBAO_ACTION_PORT", "pages": "YIBAO_PAGES_PORT"}[name]]
        return f"http://127.0.0.1:{port}{path}"


def start_assistant(state_dir: Path, extra_env: dict[str, str] | None = None, timeout: float = 240) -> Assistant:
    """Start the real servers (model, actions, channels, pages) and wait until `serve` says they are up."""
    env = os.environ | WECHAT_ENV | {
        "YIBAO_RASA_PORT": str(free_port()), "YIBAO_ACTION_PORT": str(free_port()),
        "YIBAO_PAGES_PORT": str(free_port()), "YIBAO_STATE_DIR": str(state_dir),
    } | (extra_env or {})
    state_dir.mkdir(parents=True, exist_ok=True)
    log = state_dir / "serve.log"
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=paths.ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    assistant = Assistant(process, env, state_dir, log)
    deadline = time.monotonic() + timeout
    while "is running" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_assistant(assistant)
            raise RuntimeError(f"the assistant did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    return assistant


def stop_assistant(assistant: Assistant) -> None:
    if assistant.process.poll() is None:
        assistant.process.terminate()
        try:
            assistant.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            assistant.process.kill()


def post_json(url: str, body: dict, timeout: float = 30) -> object:
    """POST JSON and decode the JSON answer."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def stored_feedback(assistant: Assistant, conversation: str, count: int = 1, timeout: float = 30) -> list[dict]:
    """The feedback kept in the tracker store for ``conversation`` ("socketio:…", "hotline:…"), once there
    are ``count`` of them (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(assistant.state_dir / "tracker.db") as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id",
                              (conversation,)).fetchall()
        slots = [json.loads(data) for data, in rows]
        found = [s["value"] for s in slots if s["name"] == "feedback" and s["value"]]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
