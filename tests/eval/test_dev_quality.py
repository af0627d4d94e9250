"""Answer quality on the development set, through `python -m bot batch` (trained model, real action server).

Floors sit just under the figures reported in the README, so quality cannot silently regress.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot import paths
from bot.batch import last_answer
from eval.grading import grade, source_digits

DEV_SETS = sorted((paths.ROOT / "tests" / "eval").glob("dev_*.jsonl"))
FLOORS = {"service_acc": 0.985, "region_acc": 0.99, "fact_recall": 0.98, "clarify_acc": 0.94, "no_data_acc": 0.98}
CEILINGS = {"wrong_facts": 0, "fabricated_phones": 0, "needless_clarify": 8}


@pytest.fixture(scope="module")
def dev_answers(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], dict[str, dict]]:
    folder = tmp_path_factory.mktemp("dev")
    questions_file, answers_file = folder / "questions.jsonl", folder / "answers.jsonl"
    questions_file.write_text("".join(p.read_text(encoding="utf-8") for p in DEV_SETS), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "bot", "batch", str(questions_file), str(answers_file)],
                   cwd=paths.ROOT, check=True, timeout=900)
    questions = [json.loads(line) for line in questions_file.read_text(encoding="utf-8").splitlines() if line]
    answers = {a["id"]: a for a in map(json.loads, answers_file.read_text(encoding="utf-8").splitlines())}
    artifacts = paths.ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "dev_answers.jsonl").write_text(answers_file.read_text(encoding="utf-8"), encoding="utf-8")
    return questions, answers


def test_dev_set_is_large_and_covers_every_district(dev_answers: tuple[list[dict], dict[str, dict]]) -> None:
    questions, _ = dev_answers
    assert len(questions) >= 400
    regions = {q["region"].split("/")[-1] for q in questions if q.get("region")}
    for district in ("市中区", "沙湾区", "五通桥区", "金口河区", "犍为县", "井研县", "夹江县", "沐川县", "峨边县",
                     "马边县", "峨眉山市", "通川区", "达川区", "宣汉县", "开江县", "大竹县", "渠县", "万源市"):
        assert district in regions


def test_every_question_answered_with_the_batch_format(dev_answers: tuple[list[dict], dict[str, dict]]) -> None:
    questions, answers = dev_answers
    assert set(answers) == {q["id"] for q in questions}
    for answer in answers.values():
        assert set(answer) >= {"id", "text", "service", "region", "clarify", "intent", "confidence", "sources"}
        assert answer["text"].strip()
        if answer["service"] and not answer["clarify"]:
            assert answer["sources"] and f"来源：《{answer['sources'][0]}》" in answer["text"]


def test_quality_stays_above_the_floors(dev_answers: tuple[list[dict], dict[str, dict]]) -> None:
    questions, answers = dev_answers
    figures = grade(questions, answers, source_digits(paths.ROOT / "knowledge" / "sources"))
    summary = figures.summary()
    print(json.dumps(summary, ensure_ascii=False))
    below = {k: summary[k] for k, floor in FLOORS.items() if summary[k] < floor}
    above = {k: summary[k] for k, ceiling in CEILINGS.items() if summary[k] > ceiling}
    assert not below and not above, (below, above, dict(list(figures.failures.items())[:20]))


def test_a_turn_no_action_answered_reports_no_earlier_answer() -> None:
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    earlier = {"service": "住院费用报销", "sources": ["乐山市医疗保障经办政务服务事项办事指南（2024年版）"]}
    answered = [UserUttered("沙湾区住院报销电话"), ActionExecuted("action_answer"), SlotSet("answer", earlier)]
    assert last_answer(answered) == earlier
    assert last_answer([*answered, UserUttered("今天天气怎么样"), ActionExecuted("utter_out_of_scope")]) == {}
