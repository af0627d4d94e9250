"""Child processes of the command line (servers): waiting until one answers, stopping them cleanly."""

from __future__ import annotations

import subprocess
import time
import urllib.request


class NotUp(RuntimeError):
    """A server did not answer in time, or its process ended first."""


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, poll: float = 0.3) -> None:
    """Return once ``url`` answers; raise :class:`NotUp` when ``process`` ends or ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError as error:
            if process.poll() is not None:
                raise NotUp(
                    f"{process.args!r} exited with {process.returncode} before {url} answered"
                ) from error
            if time.monotonic() > deadline:
                raise NotUp(f"{url} not up after {timeout:.0f}s") from error
            time.sleep(poll)


def stop_processes(processes: list[subprocess.Popen], grace: float = 20) -> None:
    """Terminate them all, then kill any that has not ended after ``grace`` seconds."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
