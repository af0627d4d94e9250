"""Rasa's own checks on the project: the training data and domain validate, and the test stories pass
(`rasa test` on tests/test_stories.yml with the trained model, failing on any wrong intent or action)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot import paths
from bot.batch import MODEL

RASA = str(Path(sys.executable).with_name("rasa"))


def run_rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=600)


def test_data_and_domain_validate() -> None:
    result = run_rasa("data", "validate", "--data", "nlu_data", "--domain", "domain.yml", "--config", "config.yml",
                      "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_test_stories_pass(tmp_path: Path) -> None:
    result = run_rasa("test", "core", "--stories", "tests/test_stories.yml", "--model", str(MODEL),
                      "--fail-on-prediction-errors", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
