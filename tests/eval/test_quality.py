"""Answer quality on questions held out of training: 5-fold cross-validation through `python -m bot eval`
(a Rasa model trained per fold without its questions, answered through the real action server).

Floors sit just under the figures reported in the README, so quality cannot silently regress. The training
questions themselves (nlu_data/questions/) are never graded with a model trained on them.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import paths
from bot.evaluation.blind import blind_sets, first_runs, read_set
from bot.nlu.generate import read_questions

# Over every held-out question (the training sets without a place make region ask-backs count as needless).
FLOORS = {"service_acc": 0.88, "fact_recall": 0.97, "clarify_acc": 0.92, "no_data_acc": 0.97}
CEILINGS = {"wrong_facts": 0, "fabricated_phones": 0}
# Over the question sets with answer keys (the former blind sets), each.
SET_FLOORS = {"fully_right": 0.92, "service_acc": 0.97, "fact_recall": 0.94}
KEYED = ("holdout", "local", "province")


@pytest.fixture(scope="module")
def crossval(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("eval") / "figures.json"
    artifacts = paths.ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "bot", "eval", "--folds", "5", "--no-blind", "--json", str(out),
                    "--failures", str(artifacts / "crossval_failures.jsonl")], cwd=paths.ROOT, check=True, timeout=2400)
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_training_questions_cover_every_district() -> None:
    questions = read_questions()
    assert len(questions) >= 5000
    regions = {q["region"].split("/")[-1] for q in questions if q.get("region")}
    for district in ("市中区", "沙湾区", "五通桥区", "金口河区", "犍为县", "井研县", "夹江县", "沐川县", "峨边县",
                     "马边县", "峨眉山市", "通川区", "达川区", "宣汉县", "开江县", "大竹县", "渠县", "万源市"):
        assert district in regions


def test_cross_validated_quality_stays_above_the_floors(crossval: dict) -> None:
    summary = crossval["crossval"]
    print(json.dumps(summary, ensure_ascii=False))
    below = {k: summary[k] for k, floor in FLOORS.items() if summary[k] < floor}
    above = {k: summary[k] for k, ceiling in CEILINGS.items() if summary[k] > ceiling}
    assert not below and not above, (below, above)
    keyed = {name: figures for name, figures in crossval["crossval_by_set"].items() if name.startswith(KEYED)}
    assert len(keyed) >= 10
    low = {(name, k): figures[k] for name, figures in keyed.items() for k, floor in SET_FLOORS.items()
           if figures[k] < floor}
    assert not low, low


def test_every_blind_set_has_its_first_run_recorded() -> None:
    recorded = first_runs()
    for name in blind_sets():
        assert name in recorded and recorded[name]["items"] > 0 and "commit" in recorded[name], name


def conversation(item: dict) -> tuple[str, ...]:
    return (*(str(turn).strip() for turn in item.get("history") or ()), str(item.get("q", "")).strip())


# Writers of different sets meet on the same generic words ("医保电话", "那渠县呢" after a like question); a set
# moved into training without leaving tests/eval/blind/ would share every conversation.
COINCIDENT_SHARE = 0.05


def test_a_blind_set_is_no_training_data() -> None:
    training = {conversation(q) for q in read_questions()}
    for path in blind_sets().values():
        items = read_set(path)
        shared = [conversation(item) for item in items if conversation(item) in training]
        assert len(shared) <= COINCIDENT_SHARE * len(items), (path.name, shared)