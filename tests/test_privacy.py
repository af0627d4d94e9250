"""Masking of personal data before storage."""
from __future__ import annotations

import pytest

from bot.privacy import mask, mask_data


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
