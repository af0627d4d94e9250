"""`python -m bot serve`: the action server, the Rasa server (all channels) and the pages, on one machine.

Ports and paths come from the environment (defaults in brackets): YIBAO_ACTION_PORT [5055],
YIBAO_RASA_PORT [5005], YIBAO_PAGES_PORT [8000] (web chat demo and 12345 hotline helper, bot.web),
YIBAO_STATE_DIR [.state] (tracker store file, and the endpoints and credentials written for this run),
YIBAO_ACTION_HOST [127.0.0.1] (only Rasa calls the action server, which has no authentication),
YIBAO_HOTLINE_TOKEN [a new random one each run] (what the pages server shows the hotline channel),
YIBAO_RECENT_TURNS [5] (the user messages of a session each turn reads back, bot.tracker_store).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import paths
from bot.batch import MODEL
from bot.channels.hotline import TOKEN_VARIABLE
from bot.kb.store import KnowledgeBase, KnowledgeBaseError
from bot.processes import stop_processes, wait_until_up

TRACKER_STORE = "bot.tracker_store.MaskingSQLTrackerStore"


@dataclass(frozen=True)
class Settings:
    action_port: int
    rasa_port: int
    pages_port: int
    state_dir: Path
    action_host: str
    hotline_token: str
    recent_turns: int | None = None  # the tracker store's own default unless set

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            int(env.get("YIBAO_ACTION_PORT", 5055)),
            int(env.get("YIBAO_RASA_PORT", 5005)),
            int(env.get("YIBAO_PAGES_PORT", 8000)),
            Path(env.get("YIBAO_STATE_DIR", paths.ROOT / ".state")),
            env.get("YIBAO_ACTION_HOST") or "127.0.0.1",
            env.get(TOKEN_VARIABLE) or secrets.token_urlsafe(24),
            int(env["YIBAO_RECENT_TURNS"]) if env.get("YIBAO_RECENT_TURNS") else None,
        )

    def environment(self, name: str) -> dict[str, str]:
        """The environment of the child process ``name`` (a key of `commands`)."""
        own = {"actions": {"SANIC_HOST": self.action_host}}.get(name, {TOKEN_VARIABLE: self.hotline_token})
        return dict(os.environ) | own

    def write_endpoints(self) -> Path:
        """endpoints.yml for these ports and this state folder."""
        endpoints = {
            "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
            "tracker_store": {
                "type": TRACKER_STORE,
                "dialect": "sqlite",
                "db": str(self.state_dir / "tracker.db"),
            }
            | ({"recent_turns": self.recent_turns} if self.recent_turns else {}),
        }
        path = self.state_dir / "endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
        return path


def commands(settings: Settings, endpoints: Path) -> dict[str, list[str]]:
    python = sys.executable
    rasa = str(Path(python).with_name("rasa"))
    return {
        "actions": [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
        "rasa": [
            rasa,
            "run",
            "--model",
            str(MODEL),
            "--port",
            str(settings.rasa_port),
            "--cors",
            "*",
            "--credentials",
            "credentials.yml",
            "--endpoints",
            str(endpoints),
        ],
        "pages": [
            python,
            "-m",
            "bot.web",
            "--port",
            str(settings.pages_port),
            "--rasa-port",
            str(settings.rasa_port),
        ],
    }


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def missing_parts() -> str | None:
    """What keeps the assistant from starting (no model, no or a broken knowledge base), with what to run."""
    if not MODEL.exists():
        return f"no trained model at {MODEL}: run `make setup`"
    try:
        KnowledgeBase()
    except KnowledgeBaseError as error:
        return str(error)
    return None


def serve(settings: Settings) -> int:
    """Start everything, print where each channel is, and run until interrupted (SIGINT or SIGTERM)."""
    problem = missing_parts()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    endpoints = settings.write_endpoints()
    signal.signal(signal.SIGTERM, _interrupt)  # so that `finally` stops the children on SIGTERM too
    children: list[subprocess.Popen] = []
    try:
        for part, argv in commands(settings, endpoints).items():
            children.append(subprocess.Popen(argv, cwd=paths.ROOT, env=settings.environment(part)))
        wait_until_up(f"http://127.0.0.1:{settings.action_port}/health", children[0], 60)
        wait_until_up(f"http://127.0.0.1:{settings.rasa_port}/", children[1], 120)
        wait_until_up(f"http://127.0.0.1:{settings.pages_port}/health", children[2], 60)
        rasa, pages = f"http://localhost:{settings.rasa_port}", f"http://localhost:{settings.pages_port}"
        print(
            f"\n医保办事助手 is running:\n"
            f"  web chat    {pages}/\n"
            f'              (embed: <script src="{pages}/widget.js" data-server="{rasa}"></script>)\n'
            f"  hotline     {pages}/hotline/   (12345 operator helper; API {pages}/api/hotline/ask)\n"
            f"  REST        POST {rasa}/webhooks/rest/webhook\n"
            f"  socket.io   {rasa}/socket.io   (user_uttered / bot_uttered)\n"
            f"  WeChat      {rasa}/webhooks/wechat/webhook   (token from WECHAT_TOKEN)\n"
            f"  actions     http://localhost:{settings.action_port}\n"
            f"  conversations are kept in {settings.state_dir / 'tracker.db'}\n",
            flush=True,
        )
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return 0
    finally:
        for name in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl+C must not cut the shutdown short
            signal.signal(name, signal.SIG_IGN)
        stop_processes(children)
