"""Masking of personal data before storage."""
from __future__ import annotations

import json

import pytest

from bot.privacy import mask, mask_data
from running import Assistant, post_json


@pytest.mark.parametrize(("text", "masked"), [
    ("我叫张三，身份证号510102199001011234", "我叫[姓名]，身份证号[身份证号]"),
    ("身份证51010219900101123X", "身份证[身份证号]"),
    ("手机13812345678", "手机[手机号]"),
    ("电话 138-1234-5678", "电话 [手机号]"),
    ("卡号6222 0212 3456 7890 123", "卡号[银行卡号]"),
    ("银行卡6222021234567890", "银行卡[银行卡号]"),
    ("姓名：李四", "姓名：[姓名]"),
])
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


@pytest.mark.parametrize("text", ["沙湾区住院报销打0833-3432615", "我是乐山的", "报销2024年住院费用12000元",
                                  "0818-53360070818-5336359", "12345"])
def test_service_facts_are_left_alone(text: str) -> None:
    assert mask(text) == text


def test_nested_event_data_is_masked() -> None:
    event = {"event": "user", "text": "我叫王五 13912345678",
             "parse_data": {"text": "我叫王五 13912345678", "entities": [{"value": "13912345678"}]}}
    masked = mask_data(event)
    assert "13912345678" not in str(masked) and "王五" not in str(masked)
    assert masked["event"] == "user"


def test_personal_data_never_reaches_the_disk(assistant: Assistant) -> None:
    """Through the real REST channel and the hotline API: the tracker store, the WeChat store and the logs hold
    the placeholders, not the numbers or the name."""
    secrets = ["510102199001011234", "13812345678", "6222021234567890123", "王小明"]
    text = f"我叫王小明，身份证{secrets[0]}，手机{secrets[1]}，卡号{secrets[2]}，沙湾区住院报销打哪个电话"
    messages = post_json(assistant.url("rasa", "/webhooks/rest/webhook"), {"sender": "privacy-1", "message": text})
    assert "0833-3432615" in "\n".join(m.get("text") or "" for m in messages)
    post_json(assistant.url("pages", "/api/hotline/ask"), {"call_id": "privacy-2", "text": text})
    stored = b"".join(path.read_bytes() for path in assistant.state_dir.rglob("*") if path.is_file())
    def forms(text: str) -> list[bytes]:  # as written: UTF-8, or JSON with \u escapes (Rasa's event column)
        return [text.encode(), json.dumps(text)[1:-1].encode()]

    assert any(form in stored for form in forms("[手机号]"))
    for secret in secrets:
        assert not any(form in stored for form in forms(secret)), secret
