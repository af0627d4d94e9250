"""`python -m bot batch IN.jsonl OUT.jsonl`: answer a file of questions through the trained model and the real
action server, one fresh conversation per item (history replayed first, region hint applied), as described in
the evaluation kit's README.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot import paths
from bot.channels.payload import answer_data
from bot.processes import NotUp, stop_processes, wait_until_up

MODEL = paths.MODEL


class BatchError(RuntimeError):
    """The batch cannot run (no model, action server not starting)."""


def seen_text(messages: list[dict[str, Any]]) -> str:
    """What the user sees of the messages: their texts, each followed by its buttons' titles."""
    lines: list[str] = []
    for message in messages:
        lines += [message["text"]] if message.get("text") else []
        lines += [str(b.get("title", "")) for b in message.get("buttons") or []]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def action_server(port: int, timeout: float = 60.0) -> Iterator[str]:
    """Run the project's action server on loopback for the duration of the block."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        cwd=paths.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(f"{url}/health", process, timeout, poll=0.2)
        except NotUp as error:
            process.kill()
            said = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise BatchError(f"action server did not start ({error}): {said}") from error
        yield f"{url}/webhook"
    finally:
        stop_processes([process], grace=10)


async def answer_all(items: list[dict[str, Any]], action_url: str, model: Path) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.utils.endpoints import EndpointConfig

    agent = Agent.load(str(model), action_endpoint=EndpointConfig(action_url))
    results = []
    for item in items:
        sender = f"batch-{item['id']}-{time.monotonic_ns()}"
        metadata = {"region_hint": item["region_hint"]} if item.get("region_hint") else None
        output = CollectingOutputChannel()
        for text in [*item.get("history", []), item["q"]]:
            output = CollectingOutputChannel()
            await agent.handle_message(UserMessage(text, output, sender, metadata=metadata))
        tracker = await agent.tracker_store.retrieve(sender)
        meta = answer_data(output.messages)
        intent = (tracker.latest_message.intent if tracker else {}) or {}
        results.append(
            {
                "id": item["id"],
                "text": seen_text(output.messages),
                "service": meta.get("service"),
                "region": meta.get("region"),
                "clarify": bool(meta.get("clarify")),
                "intent": intent.get("name"),
                "confidence": intent.get("confidence"),
                "sources": meta.get("sources", []),
            }
        )
    return results


def quiet_logs() -> None:
    """Only warnings from Rasa and its structured logger."""
    import structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def run(questions: Path, answers: Path, model: Path = MODEL) -> int:
    if not model.exists():
        raise BatchError(f"no trained model at {model}: run `make setup`")
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    quiet_logs()
    with action_server(free_port()) as url:
        results = asyncio.run(answer_all(items, url, model))
    answers.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    return len(results)


def add_parser(commands: Any) -> None:
    batch = commands.add_parser(
        "batch", help="answer a JSONL file of questions (see ../shared/eval/README.md)"
    )
    batch.add_argument("questions", type=Path)
    batch.add_argument("answers", type=Path)


def main(args: Any) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        count = run(args.questions, args.answers)
    except BatchError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"answered {count} questions → {args.answers}", file=sys.stderr)
    return 0
