"""The maintainers' loop on the running assistant: conversations driven over REST, WeChat and the hotline,
then `python -m bot review` and the /review/ page over what was stored, with exact counts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot import paths
from running import Assistant, post_json, start_assistant, stop_assistant
from wechat_client import say

TOKEN = "review-test-token"
CONVERSATIONS = {
    "unhappy": ["沙湾区的，住院报销打哪个电话", "答非所问", "你说错了"],  # 👎 twice: handed over
    "vague": ["备案", "备案"],  # asked back twice
    "unlisted": ["住院报销要收费吗"],  # the guide lists no fee
    "lost": ["今天天气怎么样"],  # not understood
}


def rest(assistant: Assistant, sender: str, text: str) -> list[dict[str, Any]]:
    return post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": sender, "message": text})


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """An assistant with the review on, after a day of test traffic in miniature."""
    running = start_assistant(tmp_path_factory.mktemp("review"), extra_env={"YIBAO_REVIEW_TOKEN": TOKEN})
    for sender, texts in CONVERSATIONS.items():
        for text in texts:
            rest(running, sender, text)
    say(running, "o-wx-glad", "沙湾区的，住院报销打哪个电话")
    say(running, "o-wx-glad", "谢谢")  # 👍
    post_json(running.url("pages", "/api/hotline/ask"), {"call_id": "call-1", "text": "峨眉山住院报销打哪个电话"})
    post_json(running.url("pages", "/api/hotline/feedback"),  # the operator's correction: a labelled example
              {"call_id": "call-1", "right": False, "service": "异地长期居住人员备案", "region": "峨眉山市"})
    yield running
    stop_assistant(running)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


EXPECTED = {"questions": 7, "flagged": 5, "thumbs_up": 1, "thumbs_down": 3}
PROBLEMS = {"thumbs_down": 2, "asked_back_twice": 1, "fallback": 1, "out_of_scope": 0, "not_listed": 1,
            "handoff": 1}


def test_the_review_command_counts_and_exports_what_went_wrong(reviewed: Assistant, tmp_path: Path) -> None:
    env = os.environ | {"YIBAO_STATE_DIR": str(reviewed.state_dir)}
    out = subprocess.run([sys.executable, "-m", "bot", "review", "--jsonl", str(tmp_path / "r.jsonl"),
                          "--csv", str(tmp_path / "r.csv")], cwd=paths.ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert "7 questions, 5 to review; 👍 1 👎 3" in out
    items = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(i["q"] for i in items) == sorted(["沙湾区的，住院报销打哪个电话", "备案", "住院报销要收费吗",
                                                    "今天天气怎么样", "峨眉山住院报销打哪个电话"])
    corrected = next(i for i in items if i["channel"] == "hotline")
    assert (corrected["service"], corrected["region"], corrected["labelled"]) == (
        "异地长期居住人员备案", "四川省/乐山市/峨眉山市", True)
    unhappy = next(i for i in items if i["q"] == "沙湾区的，住院报销打哪个电话")
    assert set(unhappy["problems"]) == {"thumbs_down", "handoff"} and unhappy["channel"] == "rest"
    assert unhappy["answer"]["service"] == "住院费用报销" and "0833-3432615" in unhappy["answer"]["text"]
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").count("\n") > len(items)


def test_the_review_page_and_api_need_the_token(reviewed: Assistant) -> None:
    assert get(reviewed.url("pages", "/review/"))[0] == 401
    assert get(reviewed.url("pages", "/review/?token=guess"))[0] == 401
    assert get(reviewed.url("pages", "/api/review"), {"Authorization": "Bearer guess"})[0] == 401
    status, body = get(reviewed.url("pages", "/api/review"), {"Authorization": f"Bearer {TOKEN}"})
    report = json.loads(body)
    assert status == 200 and {key: report[key] for key in EXPECTED} == EXPECTED and report["problems"] == PROBLEMS
    status, page = get(reviewed.url("pages", f"/review/?token={TOKEN}"))
    text = page.decode()
    assert status == 200 and '<b id="questions">7</b>' in text and '<b id="flagged">5</b>' in text
    assert "今天天气怎么样" in text and "住院费用报销" in text
    status, export = get(reviewed.url("pages", f"/api/review/export.jsonl?token={TOKEN}"))
    assert status == 200 and len(export.decode().splitlines()) == 5


def test_the_review_is_off_without_a_token(assistant: Assistant) -> None:
    assert get(assistant.url("pages", "/review/"))[0] == 404
    assert get(assistant.url("pages", "/api/review"), {"Authorization": "Bearer anything"})[0] == 404
