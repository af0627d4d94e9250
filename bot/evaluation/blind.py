"""Blind sets: questions written from the guides alone by someone who has not seen the project, answered
once by the assistant and their first-run figures recorded (tests/eval/blind/first_runs.json) before anyone
looks at a failure. After that a set may be studied, and moved into the training data; its first-run figures
stay as they were.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path
from typing import Any

from bot import paths

BLIND = paths.ROOT / "tests" / "eval" / "blind"
FIRST_RUNS = BLIND / "first_runs.json"


def read_set(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) | {"set": path.stem}
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def blind_sets(directory: Path = BLIND) -> dict[str, Path]:
    return {path.stem: path for path in sorted(directory.glob("*.jsonl"))}


def first_runs(path: Path = FIRST_RUNS) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_first_run(name: str, summary: dict[str, Any], path: Path = FIRST_RUNS) -> None:
    """Keep a set's first figures, with the commit they were measured at ("+changes": and uncommitted work on
    it, committed next); a set is recorded only once."""
    runs = first_runs(path)
    if name in runs:
        raise ValueError(f"the first run of {name} is already recorded ({runs[name]['date']})")

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") + (
        "+changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    )
    runs[name] = {"date": datetime.date.today().isoformat(), "commit": commit, **summary}
    path.write_text(json.dumps(runs, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
