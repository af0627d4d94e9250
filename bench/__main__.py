"""`python -m bench [--quick]`: measure the assistant beside a bare echo bot and a stock bot of the same
architecture (SQL tracker store, an action server) and write bench/RESULTS.md,
bench/results.json and bench/latency.png (--quick: a few messages per level, no training of our model,
ten dev questions; written to bench/quick/).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import baseline, long_conversation, report, understanding
from bench.load import CONVERSATION_LENGTH, load_questions, measure
from bench.resources import assistant_memory, machine, start_rasa, timed_run, train, tree_memory
from bot import paths
from bot.batch import MODEL
from bot.evaluation.blind import blind_sets, read_set
from bot.evaluation.grading import grade, source_digits

sys.path.append(str(paths.ROOT / "tests"))
from running import start_assistant, stop_assistant  # noqa: E402  (tests/ runs the whole assistant)

HERE = Path(__file__).resolve().parent
ECHO_BOT = HERE / "echo_bot"
STOCK_BOT = HERE / "stock_bot"
LEVELS = (1, 10, 50)
WARM_UP = 3  # sequential messages sent to each server before measuring, not counted


def step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def builds(tmp: Path, quick: bool) -> tuple[Path, dict[str, float | None]]:
    """Knowledge base into a temp file, the echo bot and (not in quick mode) our model into temp folders."""
    step("knowledge base build")
    kb_s = timed_run([sys.executable, "-m", "bot", "kb", "build"], env={"YIBAO_KB": str(tmp / "kb.sqlite")})
    step("training the echo bot")
    echo_model, echo_s = train(ECHO_BOT / "data", ECHO_BOT / "config.yml", ECHO_BOT / "domain.yml", tmp / "echo",
                               "echo", cwd=tmp)
    step("training the stock bot")
    train(STOCK_BOT / "data", STOCK_BOT / "config.yml", STOCK_BOT / "domain.yml", tmp / "stock", "stock", cwd=tmp)
    ours_s = None
    if not quick:
        step("training our model (as the Makefile does, into a temp folder)")
        _, ours_s = train(paths.ROOT / "nlu_data", paths.ROOT / "config.yml", paths.ROOT / "domain.yml",
                          tmp / "ours", "yibao")
    return echo_model, {"kb_build_s": kb_s, "train_echo_s": echo_s, "train_ours_s": ours_s}


def quality(tmp: Path, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """`python -m bot batch` over the blind sets' questions (never trained on), graded, next to the
    keyword-search baseline."""
    step(f"batch evaluation of {len(questions)} blind-set questions")
    asked, answered = tmp / "questions.jsonl", tmp / "answers.jsonl"
    asked.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    batch_s = timed_run([sys.executable, "-m", "bot", "batch", str(asked), str(answered)])
    ours = {a["id"]: a for a in map(json.loads, answered.read_text(encoding="utf-8").splitlines())}
    start = time.perf_counter()
    keyword = baseline.answers(questions, tmp / "kb.sqlite")
    baseline_s = time.perf_counter() - start
    corpus = source_digits(paths.SOURCES)
    return {"questions": len(questions), "batch_s": batch_s, "batch_per_question_s": batch_s / len(questions),
            "baseline_s": baseline_s, "ours": grade(questions, ours, corpus).summary(),
            "baseline": grade(questions, keyword, corpus).summary()}


def serving(tmp: Path, echo_model: Path, texts: list[str], bounds: dict[str, Any]) -> dict[str, Any]:
    """Readiness, the load at each level (echo then ours, back to back) and memory after the load."""
    step("readiness of our Rasa server alone")
    alone = start_rasa(MODEL, tmp / "rasa-alone")
    alone.stop()
    step("starting the echo bot, the stock bot and the whole assistant")
    echo = start_rasa(echo_model, tmp / "echo-run")
    stock = start_rasa(tmp / "stock" / "stock.tar.gz", tmp / "stock-run", actions="bench.stock_bot.actions")
    start = time.perf_counter()
    try:
        assistant = start_assistant(tmp / "assistant")
    except RuntimeError:
        echo.stop()
        stock.stop()
        raise
    ready = {"assistant_s": time.perf_counter() - start, "rasa_alone_s": alone.ready_s, "echo_s": echo.ready_s}
    urls = {"echo": echo.url, "stock": stock.url, "ours": assistant.url("rasa")}
    load: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
    try:
        for url in urls.values():
            measure(url, texts, 1, messages=WARM_UP, tag="warm-up")
        for clients in LEVELS:
            for name, url in urls.items():
                step(f"{clients} client(s) → {name}")
                load[name].append(measure(url, texts, clients, **bounds).summary())
        memory = {"assistant": assistant_memory(assistant.process.pid), "echo": tree_memory(echo.process.pid)}
    finally:
        stop_assistant(assistant)
        echo.stop()
        stock.stop()
    return {"ready": ready, "load": load, "memory": memory}


# The same assistant with the tracker store reading whole sessions back, as Rasa's own SQL store does.
WHOLE_SESSION = {"YIBAO_RECENT_TURNS": "1000000"}


def long_conversations(tmp: Path, texts: list[str], turns: int) -> dict[str, Any]:
    """Latency by turn number in one conversation of `turns` questions: ours, then ours reading whole
    sessions back (side by side, one after the other)."""
    found = {}
    for name, env in (("ours", {}), ("whole", WHOLE_SESSION)):
        step(f"one conversation of {turns} turns → {name}")
        assistant = start_assistant(tmp / f"long-{name}", extra_env=env)
        try:
            long_conversation.measure(assistant.url("rasa"), texts, WARM_UP, tag="warm-up", repeats=1)
            found[name] = long_conversation.measure(assistant.url("rasa"), texts, turns, tag=name)
        finally:
            stop_assistant(assistant)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 messages per client, no training")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per level and bot [20]")
    parser.add_argument("--out", type=Path, help="folder for the results [bench/, or bench/quick/ with --quick]")
    args = parser.parse_args(argv)
    bounds = {"messages": 2} if args.quick else {"duration": args.duration}
    items = load_questions()
    blind = [item for path in blind_sets().values() for item in read_set(path)]
    results: dict[str, Any] = {
        "machine": machine(), "mode": "quick" if args.quick else "full",
        "settings": {"levels": list(LEVELS), **bounds, "conversation_length": CONVERSATION_LENGTH,
                     "warm_up": WARM_UP, "load_questions": len(items)},
    }
    with tempfile.TemporaryDirectory(prefix="yibao-bench-") as folder:
        tmp = Path(folder)
        echo_model, results["build"] = builds(tmp, args.quick)
        # between two blind sets (one studied, the next not yet written) there is nothing unseen to grade
        results["quality"] = quality(tmp, blind[:10] if args.quick else blind) if blind else None
        step("the understanding's cost per message, in-process")
        results["understanding"] = understanding.measure([item["q"] for item in items][:200 if args.quick else 3000])
        results |= serving(tmp, echo_model, [item["q"] for item in items], bounds)
        turns = 12 if args.quick else max(long_conversation.MARKS)
        results["long"] = long_conversations(tmp, [item["q"] for item in items], turns)
    out = args.out or (HERE / "quick" if args.quick else HERE)
    report.write(results, out)
    step(f"results in {out}/RESULTS.md, results.json, latency.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
