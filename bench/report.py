"""The benchmark's results as results.json, RESULTS.md (a table per section, targets beside figures) and
latency.png (latency against concurrency, ours, the stock bot and the echo bot)."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

from bench.long_conversation import REPEATS, WINDOW  # noqa: E402

BOTS = {"ours": "医保助手 (whole assistant)", "stock": "stock bot (SQL store + action server)",
        "echo": "echo bot (bare Rasa)"}
QUALITY = {"service_acc": "service accuracy", "region_acc": "region accuracy", "fact_recall": "fact recall",
           "wrong_facts": "wrong facts (count)", "fabricated_phones": "fabricated phones (count)",
           "clarify_acc": "asks back when it should", "needless_clarify": "needless asking back (count)",
           "no_data_acc": "says when the guide has no data"}


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def plotted(value: float | None) -> float:
    return math.nan if value is None else value


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(map(str, line)) + " |" for line in lines)


def verdict(value: float | None, ok: Callable[[float], bool]) -> str:
    return "not measured" if value is None else ("met" if ok(value) else "**missed**")


def level(results: dict[str, Any], bot: str, clients: int) -> dict[str, Any]:
    return next(row for row in results["load"][bot] if row["clients"] == clients)


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict[str, Any]) -> str:
    ours10, echo10, stock10 = (level(results, bot, 10) for bot in ("ours", "echo", "stock"))
    p95_ratio = ratio(ours10["p95_ms"], echo10["p95_ms"])
    stock_ratio = ratio(ours10["p95_ms"], stock10["p95_ms"])
    ours50 = level(results, "ours", 50)
    errors50, p95_50 = ours50["error_count"], ours50["p95_ms"]
    train_s, ready_s = results["build"]["train_ours_s"], results["ready"]["assistant_s"]
    memory = results["memory"]["assistant"]
    linker_ms = results["understanding"]["linker_ms"]
    servers_mb = sum(memory.get(name, {}).get("rss_mb", 0) for name in ("rasa", "actions"))
    long = results.get("long", {}).get("ours", {})
    turn_ratio = long.get("last_over_first")
    rows = [
        [f"latency at turn {max(long.get('at') or {0: 0})} of one conversation / turn 1", f"{num(turn_ratio, 2)}×",
         "≤ 1.2×", verdict(turn_ratio, lambda v: v <= 1.2)],
        ["p95 latency at 10 clients, ours / stock bot", f"{num(stock_ratio, 2)}×", "≤ 0.5×",
         verdict(stock_ratio, lambda v: v <= 0.5)],
        ["p95 latency at 10 clients, ours / echo", f"{num(p95_ratio, 2)}×", "≤ 3×",
         verdict(p95_ratio, lambda v: v <= 3)],
        ["errors at 50 clients (ours)", str(errors50), "0", verdict(errors50, lambda v: v == 0)],
        ["p95 latency at 50 clients (ours)", f"{num(p95_50, 0)} ms", "≤ 1,000 ms",
         verdict(p95_50, lambda v: v <= 1000)],
        ["the understanding (linker with its models) per message", f"{num(linker_ms, 2)} ms", "≤ 2 ms",
         verdict(linker_ms, lambda v: v <= 2)],
        ["training our model", f"{num(train_s)} s", "≤ 180 s", verdict(train_s, lambda v: v <= 180)],
        ["whole assistant ready", f"{num(ready_s)} s", "≤ 30 s", verdict(ready_s, lambda v: v <= 30)],
        ["RSS of Rasa server + action server after the load", f"{num(servers_mb, 0)} MB", "≤ 1,536 MB",
         verdict(servers_mb, lambda v: v <= 1536)],
    ]
    return table(["what", "figure", "target", "verdict"], rows)


def load_tables(results: dict[str, Any]) -> str:
    rows = []
    for clients in results["settings"]["levels"]:
        for bot in BOTS:
            row = level(results, bot, clients)
            kinds = ", ".join(f"{kind}: {n}" for kind, n in row["errors"].items())
            errors = f"{row['error_count']} ({kinds})" if kinds else str(row["error_count"])
            rows.append([str(clients), BOTS[bot], str(row["sent"]), errors,
                         num(row["throughput"]), num(row["p50_ms"]), num(row["p95_ms"]), num(row["p99_ms"])])
    ratios = []
    for clients in results["settings"]["levels"]:
        ours, echo, stock = (level(results, bot, clients) for bot in ("ours", "echo", "stock"))
        ratios.append([str(clients), *(f"{num(ratio(ours[k], echo[k]), 1)}×" for k in ("p50_ms", "p95_ms", "p99_ms")),
                       f"{num(ratio(echo['throughput'], ours['throughput']), 1)}×",
                       *(f"{num(ratio(ours[k], stock[k]), 2)}×" for k in ("p50_ms", "p95_ms"))])
    return (table(["clients", "bot", "messages", "errors", "messages/s", "p50 ms", "p95 ms", "p99 ms"], rows)
            + "\n\nOur cost as a ratio to the framework's floor (echo) and to a stock bot of the same architecture:\n\n"
            + table(["clients", "p50 ours/echo", "p95 ours/echo", "p99 ours/echo", "throughput echo/ours",
                     "p50 ours/stock", "p95 ours/stock"], ratios))


def long_table(results: dict[str, Any]) -> str:
    long = results.get("long") or {}
    names = {"ours": "ours (reads the recent turns)", "whole": "ours reading whole sessions (as Rasa's store)"}
    marks = sorted({int(m) for found in long.values() for m in found["at"]})
    rows = [[names[name], *(num(found["at"].get(m, found["at"].get(str(m)))) for m in marks),
             f"{num(found['last_over_first'], 2)}×"] for name, found in long.items()]
    return table(["bot", *(f"turn {m} ms" for m in marks), "last / first"], rows)


def timing_table(results: dict[str, Any]) -> str:
    build, ready = results["build"], results["ready"]
    skipped = "skipped (--quick)" if build["train_ours_s"] is None else ""
    rows = [
        ["knowledge-base build (`python -m bot kb build`, temp YIBAO_KB)", num(build["kb_build_s"]), ""],
        ["training our model (`rasa train --force …`, temp --out)", skipped or num(build["train_ours_s"]), "≤ 180"],
        ["training the echo bot (same command)", num(build["train_echo_s"]), ""],
        ["whole assistant ready (`python -m bot serve` → “is running”, log polled every 0.5 s)",
         num(ready["assistant_s"]), "≤ 30"],
        ["our Rasa server alone ready (`rasa run` → `/` answers)", num(ready["rasa_alone_s"]), ""],
        ["echo bot's Rasa server ready (same)", num(ready["echo_s"]), ""],
    ]
    return table(["what", "seconds", "target"], rows)


def memory_table(results: dict[str, Any]) -> str:
    memory = results["memory"]
    names = {"rasa": "Rasa server (`rasa run`)", "actions": "action server (`rasa_sdk`)",
             "pages": "pages (`bot.web`)", "serve": "the `python -m bot serve` supervisor itself",
             "total": "whole `python -m bot serve` tree"}
    rows = [[names.get(name, name), num(m["rss_mb"], 0), num(m["peak_mb"], 0)]
            for name, m in memory["assistant"].items()]
    rows.append(["echo bot's Rasa server", num(memory["echo"]["rss_mb"], 0), num(memory["echo"]["peak_mb"], 0)])
    return table(["process (with its children)", "RSS MB", "peak RSS MB (VmHWM)"], rows)


UNDERSTANDING = {
    "phrases_matcher_ms": "service phrases: spaCy PhraseMatcher (bot.text.phrases)",
    "phrases_loop_ms": "service phrases: the former `str.find` loop over every phrase",
    "places_matcher_ms": "place names: spaCy PhraseMatcher",
    "places_loop_ms": "place names: the former regular expression tried at every position",
    "features_ms": "features (character n-grams and jieba words, TF-IDF)",
    "models_ms": "features, service model and aspect model together",
    "linker_ms": "the whole linker (places, phrases, models, choices, topics)",
}


def understanding_table(results: dict[str, Any]) -> str:
    found = results["understanding"]
    return table(["part", "ms per message"], [[label, num(found[key], 3)] for key, label in UNDERSTANDING.items()])


def quality_table(quality: dict[str, Any]) -> str:
    ours, keyword = quality["ours"], quality["baseline"]
    rows = [[label, *(f"{s[key]:.3f}" if isinstance(s[key], float) else str(s[key]) for s in (ours, keyword))]
            for key, label in QUALITY.items()]
    return table(["figure (bot/evaluation/grading.py)", "ours (`python -m bot batch`)", "keyword search (FTS5)"],
                 rows)


def markdown(results: dict[str, Any]) -> str:
    m, s, q = results["machine"], results["settings"], results["quality"]
    bound = (f"{s['messages']} messages per client" if "messages" in s else f"{num(s['duration'], 0)} s per level")
    return f"""# Benchmarks

Figures, not tests: `make bench` (`.venv/bin/python -m bench`; `--quick` for a smoke run) measures and writes
this file, `results.json` (raw figures) and `latency.png`. Mode of this run: **{results['mode']}**.

## Machine

{table(["cores", "CPU", "memory", "Python", "Rasa", "OS", "date", "load average at start"],
       [[str(m['cores']), m['cpu'], f"{m['memory_gb']} GB", m['python'], m['rasa'], m['os'], m['date'],
         " / ".join(map(str, m['load_average']))]])}

Other processes on the machine (the load average above) share its cores with the servers and the load
generator, so the figures are noisy; ours and the echo bot were measured back to back at each level so that both
saw much the same background.

## Targets

{targets(results)}

## Latency and throughput over REST

`POST /webhooks/rest/webhook` on loopback; 1, 10 and 50 concurrent clients ({bound}), each waiting for its
answer before its next question (asyncio + aiohttp, {s['load_questions']} Chinese questions of
nlu_data/questions/*.jsonl, shuffled per level); each client opens a new conversation (sender id) every
{s['conversation_length']} questions. Latency is over answered messages; errors are non-200 answers, timeouts
(60 s), connection errors and empty replies. {s['warm_up']} unmeasured messages warm each server up. The
load generator runs on the same cores as the servers.
*Ours* is the whole assistant as `python -m bot serve` runs it (trained model, action server, the SQLite
tracker store that `serve` configures); the *echo bot* (bench/echo_bot/) is Rasa with no tokenizer, featurizer or model: every
message falls back to `nlu_fallback` and a rule utters the text back from a `from_text` slot, with Rasa's
default in-memory tracker store; the *stock bot* (bench/stock_bot/) is the same with the parts this project must
have: Rasa's own SQL tracker store on SQLite and a custom action on an action server, which echoes the text.

{load_tables(results)}

![latency against concurrency](latency.png)

## Latency by turn within one conversation

One sender asks {results.get('long', {}).get('ours', {}).get('turns')} questions one after the other, going round the same {WINDOW} (REST,
loopback; {REPEATS} such conversations overlapping, each begun 1/{REPEATS} of the way into the one before and taking turns with the others, one question in flight at a time, so that each turn number is measured at moments spread over the run; each turn's latency the median over them, and a mark's figure the median of the {WINDOW} turns up to it, of the first {WINDOW} for turn 1). Rasa's SQL store reads the
whole session back on every turn and sends it all to the action server; ours reads the recent turns and the
slots as they stand (bot/tracker_store.py), so a turn costs the same at the hundredth message.

{long_table(results)}

## Training and start-up

{timing_table(results)}

## Memory after the load

Resident memory from /proc/PID/status (VmRSS now, VmHWM the peak), each process with its descendants.

{memory_table(results)}

## The understanding per message

In-process, the fastest of three passes over {results['understanding']['messages']} questions (bench/understanding.py).

{understanding_table(results)}

## Blind-set quality next to a keyword-search baseline

{quality_section(q) if q else "No blind set in tests/eval/blind/ at this run (the last one studied, the next not yet written)."}
"""


def quality_section(q: dict[str, Any]) -> str:
    """The blind-set figures beside the keyword-search baseline's."""
    return f"""{q['questions']} questions of tests/eval/blind/*.jsonl (never trained on; their first-run figures are in
tests/eval/blind/first_runs.json). Ours: `python -m bot batch` took {num(q['batch_s'])} s,
{num(q['batch_per_question_s'], 3)} s per question (model load and action-server start included). Baseline
(bench/baseline.py): SQLite FTS5 over the knowledge base's `search` table (one row per field, jieba-segmented),
the question's jieba words OR-ed and ranked by BM25; the answer is the top hit's service name, all its fields'
text and its guide's region; {num(q['baseline_s'], 2)} s for all questions.

{quality_table(q)}"""


def plot(results: dict[str, Any], path: Path) -> None:
    levels = results["settings"]["levels"]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.5))
    for bot, colour in (("ours", "tab:red"), ("stock", "tab:green"), ("echo", "tab:blue")):
        rows = [level(results, bot, c) for c in levels]
        for key, style in (("p50_ms", "-o"), ("p95_ms", "--s")):
            latency.plot(levels, [plotted(r[key]) for r in rows], style, color=colour, label=f"{bot} {key[:3]}")
        throughput.plot(levels, [r["throughput"] for r in rows], "-o", color=colour, label=bot)
    latency.plot(levels, [0.5 * plotted(level(results, "stock", c)["p95_ms"]) for c in levels], ":", color="grey",
                 label="target: 0.5 × stock p95")
    for axis, title, unit in ((latency, "Latency per message", "ms (log)"),
                              (throughput, "Throughput", "answered messages / s (log)")):
        axis.set(xscale="log", yscale="log", xlabel="concurrent clients", ylabel=unit, title=title)
        axis.set_xticks(levels, [str(c) for c in levels])
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.suptitle(f"REST webhook, ours, stock bot and echo bot ({results['machine']['cores']} cores)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: dict[str, Any], folder: Path) -> None:
    """results.json, RESULTS.md and latency.png into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    plot(results, folder / "latency.png")
