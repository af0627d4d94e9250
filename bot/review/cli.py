"""`python -m bot review`: what went wrong in the stored conversations; `python -m bot learn FILE`: labelled
review items into the training data."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bot import paths
from bot.kb.store import KnowledgeBase
from bot.review.exchanges import stored
from bot.review.learn import REVIEWED, learn
from bot.review.report import summary, write_csv, write_jsonl

DAY = 24 * 3600


def default_endpoints() -> Path:
    """The endpoints `python -m bot serve` wrote for its state folder, else the project's endpoints.yml."""
    written = Path(os.environ.get("YIBAO_STATE_DIR", paths.ROOT / ".state")) / "endpoints.yml"
    return written if written.exists() else paths.ROOT / "endpoints.yml"


def add_parser(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review",
        help="the questions that got 👎, were asked back twice, fell back, were out of scope or not listed",
    )
    review.add_argument("--since", type=float, metavar="DAYS", help="only the last DAYS days")
    review.add_argument("--csv", type=Path, metavar="FILE", help="write the flagged questions as CSV")
    review.add_argument(
        "--jsonl", type=Path, metavar="FILE", help="write them in the evaluation format, to be labelled"
    )
    review.add_argument("--endpoints", type=Path, help="the tracker store's endpoints.yml")
    learn_parser = commands.add_parser(
        "learn", help=f"add the labelled lines of a review export to the training data ({REVIEWED.name})"
    )
    learn_parser.add_argument("file", type=Path)


def since(days: float | None) -> float:
    return time.time() - days * DAY if days else 0


def review(args: argparse.Namespace) -> int:
    endpoints = args.endpoints or default_endpoints()
    found = list(stored(endpoints, paths.ROOT / "domain.yml", since(args.since)))
    report = summary(found)
    print(
        f"{report['questions']} questions, {report['flagged']} to review; 👍 {report['thumbs_up']} 👎 "
        f"{report['thumbs_down']}  ({endpoints})"
    )
    for name, count in report["problems"].items():
        print(f"  {report['labels'][name]}: {count}")
    for day, count in report["per_day"].items():
        print(f"  {day}: {count}")
    print("by service and place:")
    for group in report["per_service"]:
        print(f"  {group['count']:4d}  {group['service']}（{group['place']}）")
    print("most frequent unanswered wordings:")
    for wording in report["top_unanswered"]:
        print(f"  {wording['count']:4d}  {wording['text']}")
    if args.csv:
        write_csv(found, args.csv)
    if args.jsonl:
        write_jsonl(found, args.jsonl)
        print(
            f'label {args.jsonl} ("labelled": true on each line checked), then: make learn FILE={args.jsonl}'
        )
    return 0


def run_learn(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    result = learn(args.file, KnowledgeBase())
    for text, why in result.skipped:
        print(f"skipped: {text} — {why}")
    print(f"{len(result.added)} labelled questions added to {REVIEWED.relative_to(paths.ROOT)}")
    return 0
