"""Faults, really caused: the action server killed or frozen, the servers restarted mid-conversation, the
knowledge base or the model missing or corrupt. The citizen always gets an answer; start-up says what to run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from bot import paths
from running import Assistant, post_json, start_assistant, stop_assistant

REPLY_TIMEOUT = 4.0


def ask(assistant: Assistant, sender: str, text: str) -> tuple[str, float]:
    started = time.monotonic()
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": sender, "message": text})
    return "\n".join(m["text"] for m in messages if m.get("text")), time.monotonic() - started


def action_server_pid(assistant: Assistant) -> int:
    pattern = f"rasa_sdk --actions actions --port {assistant.env['YIBAO_ACTION_PORT']}"
    return int(subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=True).stdout.split()[0])


def start_action_server(assistant: Assistant) -> subprocess.Popen:
    port = assistant.env["YIBAO_ACTION_PORT"]
    process = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", port],
                               cwd=paths.ROOT, env=assistant.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(assistant.url("actions", "/health"), timeout=1).read()
            return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("action server did not come back")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """An assistant of its own, with a short reply time limit, for breaking."""
    running = start_assistant(tmp_path_factory.mktemp("faults"), {"YIBAO_REPLY_TIMEOUT": str(REPLY_TIMEOUT)})
    yield running
    stop_assistant(running)


def test_action_server_killed_then_back(faulty: Assistant) -> None:
    os.kill(action_server_pid(faulty), signal.SIGKILL)
    text, took = ask(faulty, "fault-down", "沙湾区的，住院报销打哪个电话")
    assert "12345" in text and "抱歉" in text and took < REPLY_TIMEOUT + 2
    replacement = start_action_server(faulty)
    try:
        text, _ = ask(faulty, "fault-down", "沙湾区的，住院报销打哪个电话")
        assert "0833-3432615" in text
    finally:
        replacement.terminate()
        replacement.wait(timeout=20)


def test_action_server_frozen_then_thawed(faulty: Assistant) -> None:
    replacement = start_action_server(faulty) if not _alive(faulty) else None
    pid = action_server_pid(faulty)
    os.kill(pid, signal.SIGSTOP)
    try:
        text, took = ask(faulty, "fault-slow", "峨眉山市住院报销打哪个电话")
        assert "12345" in text and took < REPLY_TIMEOUT + 2
    finally:
        os.kill(pid, signal.SIGCONT)
    time.sleep(1)
    text, _ = ask(faulty, "fault-slow-2", "峨眉山市住院报销打哪个电话")
    assert "0833-5546541" in text
    if replacement:
        replacement.terminate()
        replacement.wait(timeout=20)


def _alive(assistant: Assistant) -> bool:
    try:
        action_server_pid(assistant)
        return True
    except subprocess.CalledProcessError:
        return False


def test_conversation_survives_a_restart(tmp_path: Path) -> None:
    first = start_assistant(tmp_path)
    try:
        text, _ = ask(first, "restart-1", "沙湾区的，住院报销打哪个电话")
        assert "0833-3432615" in text
    finally:
        stop_assistant(first)
    second = start_assistant(tmp_path)  # same state folder: the same SQLite tracker store
    try:
        text, _ = ask(second, "restart-1", "那峨眉山呢？")
        assert "0833-5546541" in text and "住院费用报销" in text
    finally:
        stop_assistant(second)


def serve_once(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=paths.ROOT, capture_output=True, text=True,
                          timeout=120, env=os.environ | {"YIBAO_STATE_DIR": str(tmp_path)} | env)


def test_missing_knowledge_base_is_a_clear_start_up_error(tmp_path: Path) -> None:
    result = serve_once(tmp_path, YIBAO_KB=str(tmp_path / "nowhere.sqlite"))
    assert result.returncode != 0 and "make setup" in result.stderr


def test_corrupt_knowledge_base_is_a_clear_start_up_error(tmp_path: Path) -> None:
    corrupt = tmp_path / "kb.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    result = serve_once(tmp_path, YIBAO_KB=str(corrupt))
    assert result.returncode != 0 and "kb build" in result.stderr


def test_missing_model_is_a_clear_start_up_error(tmp_path: Path) -> None:
    result = serve_once(tmp_path, YIBAO_MODEL=str(tmp_path / "no-model.tar.gz"))
    assert result.returncode != 0 and "make setup" in result.stderr
