"""`python -m bot eval`: cross-validated figures over the training questions, and the blind sets.

python -m bot eval                      # 5-fold cross-validation (a Rasa model a fold), then the blind sets
python -m bot eval --fast --folds 5     # the models fitted in-process: seconds a fold, to try a setting
python -m bot eval --fast --set tie_ratio=0.6 evidence_weight=0
python -m bot eval --blind-only         # the current model on the blind sets, beside their first runs
python -m bot eval --blind-only --record NAME   # answer a new blind set once and record its figures
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot import paths
from bot.batch import action_server, free_port
from bot.evaluation.blind import blind_sets, first_runs, read_set, record_first_run
from bot.evaluation.crossval import fast_answers, full_answers, linker_config, run_folds, settings_overrides
from bot.evaluation.report import make_report, render
from bot.nlu.generate import read_questions


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "eval",
        help="cross-validation over the training questions; the blind sets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--fast", action="store_true", help="fit the models in-process (no Rasa model per fold)"
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting of the linker component (config.yml) for this run",
    )
    parser.add_argument(
        "--blind-only", action="store_true", help="only the blind sets, with the trained model"
    )
    parser.add_argument("--no-blind", action="store_true", help="only the cross-validation")
    parser.add_argument("--record", metavar="NAME", help="record the first run of the blind set NAME")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--failures", type=Path, help="write the held-out answers and their problems here")


def cross_validation(args: argparse.Namespace) -> dict[str, Any]:
    items = read_questions()
    if args.fast:
        results = run_folds(items, args.folds, fast_answers(linker_config(**settings_overrides(args.set))))
    else:
        with action_server(free_port()) as url, tempfile.TemporaryDirectory(prefix="yibao-eval-") as models:
            results = run_folds(items, args.folds, full_answers(url, Path(models)))
    questions = [q for r in results for q in r.questions]
    answers = {a["id"]: a for r in results for a in r.answers}
    report = make_report(questions, answers)
    print(
        render(
            report,
            f"{args.folds}-fold cross-validation ({'in-process' if args.fast else 'Rasa'}), "
            f"{len(questions)} questions",
        )
    )
    if args.failures:
        with args.failures.open("w", encoding="utf-8") as handle:
            for q in questions:
                if q["id"] in report.failures:
                    row = {"question": q, "answer": answers[q["id"]], "problems": report.failures[q["id"]]}
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"crossval": report.overall, "crossval_by_set": report.by_set}


def blind(args: argparse.Namespace) -> dict[str, Any]:
    import asyncio

    from bot.batch import answer_all, quiet_logs

    sets = blind_sets()
    if args.record and args.record not in sets:
        raise SystemExit(
            f"no blind set {args.record!r} in tests/eval/blind/ (have: {', '.join(sets) or 'none'})"
        )
    recorded = first_runs()
    figures: dict[str, Any] = {}
    quiet_logs()
    with action_server(free_port()) as url:
        for name, path in sets.items():
            if args.record and name != args.record:
                continue
            if name not in recorded and name != args.record:
                print(f"{name}: not run: record its first run with --record {name}", file=sys.stderr)
                continue
            questions = read_set(path)
            answers = {a["id"]: a for a in asyncio.run(answer_all(questions, url, paths.MODEL))}
            report = make_report(questions, answers)
            figures[name] = report.overall
            if name == args.record:
                record_first_run(name, report.overall)
                print(f"recorded the first run of {name}")
            print(
                render(
                    report,
                    f"blind set {name}, {len(questions)} questions (first run: "
                    f"{json.dumps(recorded.get(name, report.overall), ensure_ascii=False)})",
                )
            )
    return {"blind": figures}


def run(args: argparse.Namespace) -> int:
    result: dict[str, Any] = {}
    if not args.blind_only:
        result |= cross_validation(args)
    if not args.no_blind and not args.fast:
        result |= blind(args)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0
