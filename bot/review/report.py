"""What the review shows and exports: the exchanges with problems, counted per problem, per day, per service
and place, with the most frequent wordings; as JSON (the /review/ page), CSV, and JSONL in the evaluation
format (../shared/eval/README.md) ready to be labelled."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.dialogue.compose import place_name
from bot.review.exchanges import PROBLEMS, Exchange, label_of

TOP = 20  # wordings listed


def flagged(exchanges: Iterable[Exchange]) -> list[Exchange]:
    """The exchanges a maintainer should look at, oldest first."""
    return sorted((e for e in exchanges if e.problems), key=lambda e: e.time)


def day(exchange: Exchange) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(exchange.time))


def _where(exchange: Exchange) -> str:
    region = exchange.answer.get("region")
    return place_name(region) if region else "未指明地区"


def summary(exchanges: list[Exchange]) -> dict[str, Any]:
    """Counts of the review: all exchanges and feedback, then the flagged ones by problem, day, service and
    place; the most frequent wordings of the unanswered (fallback, out of scope, not listed)."""
    rated = [f for e in exchanges for f in e.feedback]
    questions = [e for e in exchanges if e.said is None]
    bad = flagged(questions)
    unanswered = [e for e in bad if {"fallback", "out_of_scope", "not_listed"} & set(e.problems)]
    return {
        "questions": len(questions),
        "thumbs_up": sum(f.get("rating") == "up" for f in rated),
        "thumbs_down": sum(f.get("rating") == "down" for f in rated),
        "flagged": len(bad),
        "problems": {name: sum(name in e.problems for e in bad) for name in PROBLEMS},
        "labels": PROBLEMS,
        "per_day": dict(sorted(Counter(day(e) for e in bad).items())),
        "per_service": [
            {"service": service, "place": place, "count": count}
            for (service, place), count in Counter(
                (e.answer.get("service") or "（未识别）", _where(e)) for e in bad
            ).most_common()
        ],
        "top_unanswered": [
            {"text": text, "count": count}
            for text, count in Counter(e.text for e in unanswered).most_common(TOP)
        ],
        "items": [row(e) for e in bad],
    }


def row(exchange: Exchange) -> dict[str, Any]:
    """One flagged exchange as the page and the CSV show it."""
    answer = exchange.answer
    reasons = [f.get("reason") for f in exchange.feedback if f.get("reason")]
    return {
        "time": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(exchange.time)),
        "channel": exchange.channel,
        "conversation": exchange.conversation,
        "question": exchange.text,
        "problems": exchange.problems,
        "reasons": reasons,
        "service": answer.get("service"),
        "region": answer.get("region"),
        "sources": answer.get("sources") or [],
        "reply": "\n".join(exchange.reply),
        "label": label_of(exchange),
    }


CSV_COLUMNS = (
    "time",
    "channel",
    "conversation",
    "question",
    "problems",
    "reasons",
    "service",
    "region",
    "sources",
    "reply",
    "label",
)


def write_csv(exchanges: list[Exchange], path: Path) -> None:
    """The flagged exchanges as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, CSV_COLUMNS)
        writer.writeheader()
        for item in map(row, flagged(exchanges)):
            writer.writerow(
                item
                | {key: "；".join(item[key]) for key in ("problems", "reasons", "sources")}
                | {"label": json.dumps(item["label"], ensure_ascii=False) if item["label"] else ""}
            )


def labelling_item(exchange: Exchange, number: int) -> dict[str, Any]:
    """A flagged exchange in the evaluation format: the question (and the earlier ones as history), the
    label an operator gave or else the assistant's own guess (``labelled`` says which), and the answer."""
    label = label_of(exchange)
    answer = exchange.answer
    item: dict[str, Any] = {
        "id": f"review-{day(exchange)}-{number:04d}",
        "q": exchange.text,
        "service": label["service"] if label else answer.get("service"),
        "region": label["region"] if label else answer.get("region"),
        "asks": exchange.aspects,
        "labelled": bool(label),
    }
    if exchange.history:
        item["history"] = exchange.history
    return item | {
        "problems": exchange.problems,
        "answer": {
            "text": "\n".join(exchange.reply),
            "service": answer.get("service"),
            "region": answer.get("region"),
            "clarify": bool(answer.get("clarify")),
            "sources": answer.get("sources") or [],
        },
        "channel": exchange.channel,
    }


def write_jsonl(exchanges: list[Exchange], path: Path) -> None:
    lines = [labelling_item(e, n) for n, e in enumerate(flagged(exchanges), 1)]
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in lines), encoding="utf-8")
