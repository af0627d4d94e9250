"""WeChat text formatting: plain text, numbered choices, messages within the size limit."""
from __future__ import annotations

from bot.channels.wechat_format import MAX_BYTES, answer, picked, plain, split, with_choices


def test_markdown_becomes_plain_text() -> None:
    text = "## 材料\n**身份证**、`医保卡`\n> 注意\n详见[指南](https://example.org/a)"
    assert plain(text) == "材料\n身份证、医保卡\n注意\n详见指南（https://example.org/a）"


def test_buttons_become_numbered_choices() -> None:
    buttons = [{"title": "异地安置退休人员备案", "payload": "x"}, {"title": "异地长期居住人员备案", "payload": "y"}]
    assert with_choices("您问的是哪一项？", buttons) == (
        "您问的是哪一项？\n1. 异地安置退休人员备案\n2. 异地长期居住人员备案\n回复 1、2 选择")


def test_custom_payloads_are_left_out_and_choices_numbered_in_a_row() -> None:
    messages = [{"recipient_id": "o", "text": "第一段"},
                {"recipient_id": "o", "text": "哪个？", "buttons": [{"title": "甲", "payload": "/pick_a"}]},
                {"recipient_id": "o", "text": "还有", "buttons": [{"title": "乙", "payload": "乙"}]},
                {"recipient_id": "o", "custom": {"yibao": {"service": "住院费用报销"}}}]
    assert answer(messages) == ("第一段\n\n哪个？\n1. 甲\n回复 1 选择\n\n还有\n2. 乙\n回复 2 选择", ["/pick_a", "乙"])


def test_a_number_picks_a_choice() -> None:
    choices = ["异地转诊人员备案", "异地长期居住人员备案"]
    assert [picked(text, choices) for text in ("1", " 2。", "２", "3", "1个", "沙湾区")] == [
        "异地转诊人员备案", "异地长期居住人员备案", "异地长期居住人员备案", "3", "1个", "沙湾区"]
    assert picked("1", []) == "1"


def test_long_text_is_split_between_lines_within_the_limit() -> None:
    lines = [f"第{n}行：" + "医保" * 60 for n in range(40)]
    parts = split("\n".join(lines))
    assert len(parts) > 1 and all(len(part.encode()) <= MAX_BYTES for part in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_a_line_longer_than_the_limit_is_cut_between_characters() -> None:
    parts = split("医" * 1000)
    assert [len(p.encode()) for p in parts] == [2046, 954] and "".join(parts) == "医" * 1000
    assert split("") == [] and split("短") == ["短"]
