"""Timings of commands, readiness of Rasa servers, resident memory of process trees, the machine."""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bot import paths
from bot.batch import free_port
from bot.processes import stop_processes, wait_until_up

RASA = str(Path(sys.executable).with_name("rasa"))
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3"}


def timed_run(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path = paths.ROOT,
              timeout: float = 1800) -> float:
    """Run a command to completion and return its wall time in seconds; raise with its output's tail if it fails."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=os.environ | QUIET | (env or {}), capture_output=True, text=True,
                          timeout=timeout)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return seconds


def train(data: Path, config: Path, domain: Path, out: Path, name: str, cwd: Path = paths.ROOT) -> tuple[Path, float]:
    """`rasa train --force` as the Makefile runs it, into `out` with a cache of its own; the model and seconds."""
    seconds = timed_run([RASA, "train", "--force", "--data", str(data), "--config", str(config), "--domain",
                         str(domain), "--out", str(out), "--fixed-model-name", name],
                        env={"RASA_CACHE_DIRECTORY": str(out / "cache")}, cwd=cwd)
    return out / f"{name}.tar.gz", seconds


@dataclass
class RasaServer:
    """`rasa run` of one model with the REST channel only (and its action server, if any), and how long it took
    to answer on `/`."""

    process: subprocess.Popen
    url: str
    ready_s: float
    actions: subprocess.Popen | None = None

    def stop(self) -> None:
        stop_processes([self.process, *([self.actions] if self.actions else [])])


def start_rasa(model: Path, workdir: Path, timeout: float = 300, actions: str | None = None) -> RasaServer:
    """Start `rasa run` in `workdir`: REST only, with Rasa's in-memory tracker store; with `actions` (a module of
    custom actions) also its action server and Rasa's own SQL tracker store on a SQLite file of `workdir`."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [RASA, "run", "--connector", "rest", "--model", str(model), "--port", str(port)]
    server = None
    if actions:
        action_port = free_port()
        (workdir / "endpoints.yml").write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n", encoding="utf-8")
        argv += ["--endpoints", str(workdir / "endpoints.yml")]
        with (workdir / "actions.log").open("w") as log:
            server = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", actions, "--port",
                                       str(action_port)], cwd=paths.ROOT, env=os.environ | QUIET |
                                      {"SANIC_HOST": "127.0.0.1"}, stdout=subprocess.DEVNULL, stderr=log)
        wait_until_up(f"http://127.0.0.1:{action_port}/health", server, timeout)
    start = time.perf_counter()
    with (workdir / "rasa.log").open("w") as log:
        process = subprocess.Popen(argv, cwd=workdir, env=os.environ | QUIET, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/", process, timeout)
    except RuntimeError:
        stop_processes([process, *([server] if server else [])])
        raise
    return RasaServer(process, url, time.perf_counter() - start, server)


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _status_kb(pid: int, key: str) -> int:
    """A kB figure of /proc/PID/status (VmRSS, VmHWM), 0 if the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith(key + ":")), 0)


def tree_memory(pid: int, tree: dict[int, list[int]] | None = None) -> dict[str, float]:
    """Resident memory (MB) of a process and all its descendants: now (VmRSS) and the sum of their peaks (VmHWM)."""
    tree = _children() if tree is None else tree
    pids, todo = [], [pid]
    while todo:
        pids.append(todo.pop())
        todo += tree.get(pids[-1], [])
    return {key: round(sum(_status_kb(p, field) for p in pids) / 1024, 1)
            for key, field in (("rss_mb", "VmRSS"), ("peak_mb", "VmHWM"))}


def assistant_memory(serve_pid: int) -> dict[str, dict[str, float]]:
    """Memory of each server `python -m bot serve` started (rasa, actions, pages; each with its own children),
    of the `serve` process itself and of the whole tree."""
    tree = _children()
    named = {"rasa": "rasa run", "actions": "rasa_sdk", "pages": "bot.web"}
    memory = {}
    for child in tree.get(serve_pid, []):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        name = next((n for n, marker in named.items() if marker in command), f"other {child}")
        memory[name] = tree_memory(child, tree)
    ordered = {name: memory.pop(name) for name in named if name in memory} | memory
    return ordered | {"serve": tree_memory(serve_pid, {}), "total": tree_memory(serve_pid, tree)}


def machine() -> dict[str, object]:
    """Cores, CPU, memory, Python and Rasa versions, date and load when the run began."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
                 platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {"cores": os.cpu_count(), "cpu": model, "memory_gb": round(memory_kb / 1024 ** 2, 1),
            "python": platform.python_version(), "rasa": version("rasa"), "os": platform.platform(),
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "load_average": [round(x, 2) for x in os.getloadavg()]}
