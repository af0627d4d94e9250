"""`python -m bot batch` writes the evaluation kit's answer format (../shared/eval/README.md)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot import paths
from bot.nlu.generate import read_questions


def test_every_question_answered_with_the_batch_format(tmp_path: Path) -> None:
    items = [q for q in read_questions() if q["set"] == "local"][:12]
    items.append({"id": "follow-up", "q": "那峨眉山市呢", "history": ["沙湾区住院费用报销打什么电话"]})
    items.append({"id": "hint", "q": "住院报销打哪个电话", "region_hint": "乐山市/沙湾区"})
    items.append({"id": "township", "q": "我是符溪镇的，住院报销打哪个电话"})
    items.append({"id": "old-name", "q": "郫县住院报销要带啥"})
    items.append({"id": "city-level", "q": "达州市本级住院报销电话"})
    items.append({"id": "greeting", "q": "你好"})  # a rule's utterance: its answer data asks what is wanted
    items.append({"id": "no-place", "q": "住院报销要多久"})  # 乐山 9 个工作日, 四川 30, 湖北 15
    questions, answers = tmp_path / "q.jsonl", tmp_path / "a.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in items), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "bot", "batch", str(questions), str(answers)], cwd=paths.ROOT, check=True,
                   timeout=600)
    found = {a["id"]: a for a in map(json.loads, answers.read_text(encoding="utf-8").splitlines())}
    assert set(found) == {q["id"] for q in items}
    for answer in found.values():
        assert set(answer) >= {"id", "text", "service", "region", "clarify", "intent", "confidence", "sources"}
        assert answer["text"].strip()
        if answer["service"] and not answer["clarify"]:
            assert answer["sources"] and f"来源：《{answer['sources'][0]}》" in answer["text"]
    assert found["follow-up"]["region"].endswith("峨眉山市") and "0833-5" in found["follow-up"]["text"]
    assert "0833-3432615" in found["hint"]["text"]
    assert found["township"]["region"] == "四川省/乐山市/峨眉山市" and "0833-5546541" in found["township"]["text"]
    assert found["old-name"]["region"] == "四川省/成都市/郫都区"
    assert found["city-level"]["region"] == "四川省/达州市/市本级" and "0818-2144557" in found["city-level"]["text"]
    assert found["greeting"]["clarify"] and found["greeting"]["intent"] == "greet"
    assert found["no-place"]["clarify"] and found["no-place"]["service"] == "住院费用报销"
    assert "乐山市" in found["no-place"]["text"] and "湖北省" in found["no-place"]["text"]  # the choices


def test_the_batch_text_holds_what_the_user_sees_buttons_too() -> None:
    from bot.batch import seen_text

    messages = [{"text": "您问的是哪一项？请选择或回复名称：", "buttons": [{"title": "住院费用报销", "payload": "x"}]},
                {"custom": {"yibao": {}}}]
    assert seen_text(messages) == "您问的是哪一项？请选择或回复名称：\n住院费用报销"
