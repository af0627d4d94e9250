"""Cross-validation over the labelled questions: each fold's questions are held out of the training data, the
understanding is trained on the rest, and the held-out questions are answered and graded.

Two ways: ``full`` trains a Rasa model per fold (`rasa train`) and answers through it and the real action
server, as `python -m bot batch` does; ``fast`` fits the service and aspect models in-process and answers
with the linker and bot.dialogue (seconds a fold, for trying a setting).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from bot import paths
from bot.evaluation.folds import folds
from bot.evaluation.inprocess import answer
from bot.kb.store import KnowledgeBase
from bot.nlu.generate import handwritten_texts, write_training_data
from bot.nlu.linker import Linker, LinkerConfig

DATA = paths.ROOT / "nlu_data"
CONFIG = paths.ROOT / "config.yml"
LINKER_COMPONENT = "bot.nlu.components.KnowledgeBaseLinker"


@dataclass
class FoldResult:
    """The held-out questions of one fold and the answers to them."""

    questions: list[dict[str, Any]]
    answers: list[dict[str, Any]]


def linker_config(config: Path = CONFIG, **overrides: Any) -> dict[str, Any]:
    """The linker component's settings: its defaults, config.yml's values, then ``overrides``."""
    from bot.nlu.components import KnowledgeBaseLinker

    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    own: dict[str, Any] = next((step for step in pipeline if step.get("name") == LINKER_COMPONENT), {})
    return (
        KnowledgeBaseLinker.get_default_config() | {k: v for k, v in own.items() if k != "name"} | overrides
    )


def fold_data(directory: Path, kb: KnowledgeBase, training: list[dict[str, Any]]) -> Path:
    """A copy of nlu_data/ whose generated questions are only ``training``."""
    for part in ("handwritten", "dialogue"):
        shutil.copytree(DATA / part, directory / part)
    write_training_data(kb, directory / "generated", exclude=handwritten_texts(), questions=training)
    return directory


def run_folds(
    items: list[dict[str, Any]],
    k: int,
    answer_fold: Callable[[Path, list[dict[str, Any]]], list[dict[str, Any]]],
) -> list[FoldResult]:
    """For each of ``k`` folds: the training data without it, then ``answer_fold(data, held_out)``."""
    kb = KnowledgeBase()
    results = []
    for number, held_out in enumerate(folds(items, k), 1):
        ids = {item["id"] for item in held_out}
        print(f"fold {number}/{k}: {len(held_out)} questions held out", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix=f"yibao-fold{number}-") as folder:
            data = fold_data(Path(folder) / "nlu_data", kb, [i for i in items if i["id"] not in ids])
            results.append(FoldResult(held_out, answer_fold(data, held_out)))
    return results


def fast_answers(settings: dict[str, Any]) -> Callable[[Path, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Fit the models on a fold's training data in-process and answer with the linker and bot.dialogue."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu.training import settings_of, train_on
    from bot.text.tokens import load_dictionary

    kb = KnowledgeBase()
    load_dictionary(paths.KNOWLEDGE / "build" / "jieba")
    linker = Linker(kb, config=settings_of(LinkerConfig, settings))

    def answer_fold(data: Path, held_out: list[dict[str, Any]]) -> list[dict[str, Any]]:
        training = load_data(str(data / "handwritten")).merge(load_data(str(data / "generated")))
        linker.models = train_on(training, kb, linker.lexicon.phrases, settings)
        return [answer(kb, linker, item) for item in held_out]

    return answer_fold


def full_answers(
    action_url: str, models: Path
) -> Callable[[Path, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Train a Rasa model on a fold's training data and answer through it, as the batch command does."""
    from bot.batch import answer_all, quiet_logs

    quiet_logs()

    def answer_fold(data: Path, held_out: list[dict[str, Any]]) -> list[dict[str, Any]]:
        name = data.parent.name
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "train",
                "--force",
                "--quiet",
                "--skip-validation",
                "--data",
                str(data),
                "--config",
                str(CONFIG),
                "--domain",
                str(paths.ROOT / "domain.yml"),
                "--out",
                str(models),
                "--fixed-model-name",
                name,
            ],
            cwd=paths.ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        model = models / f"{name}.tar.gz"
        try:
            return asyncio.run(answer_all(held_out, action_url, model))
        finally:
            model.unlink(missing_ok=True)

    return answer_fold


def settings_overrides(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs (values read as YAML: numbers stay numbers) as component settings."""
    known = {f.name for kind in _dataclasses() for f in fields(kind)} | {"variants"}
    found: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in known:
            raise ValueError(f"unknown setting {key!r} (known: {', '.join(sorted(known))})")
        found[key] = yaml.safe_load(value)
    return found


def _dataclasses() -> tuple[type, ...]:
    from bot.nlu.aspect_model import AspectModelConfig
    from bot.nlu.features import FeaturesConfig
    from bot.nlu.service_model import ServiceModelConfig

    return FeaturesConfig, ServiceModelConfig, AspectModelConfig, LinkerConfig
