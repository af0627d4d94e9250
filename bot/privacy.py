"""Masking citizens' personal data (身份证号, 手机号, 银行卡号, names they give) before anything is stored."""

from __future__ import annotations

import re
from typing import Any

# Order matters: the 18-digit ID before the 16–19-digit card number that would also match it.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
        ),
        "[身份证号]",
    ),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[手机号]"),
    (re.compile(r"(?<!\d)(?:\d{4}[- ]?){3}\d{4}(?:[- ]?\d{1,3})?(?!\d)"), "[银行卡号]"),
    (re.compile(r"(?<![\d-])\d{15}(?![\d-])"), "[身份证号]"),  # the old 15-digit ID
    (
        re.compile(
            r"(?P<lead>我叫|我的名字是|名字叫|名字是|姓名[是为:：]?\s*|本人姓名[是为:：]?\s*)[\u4e00-\u9fa5·]{2,4}"
        ),
        r"\g<lead>[姓名]",
    ),
]
# What every rule's match holds: four digits in a row or a name's cue. Most strings of a stored event
# (intents, action names, the answer's wording) hold neither and pass this one search instead of every rule.
_MAYBE = re.compile(r"\d{4}|我叫|名字|姓名")


def mask(text: str) -> str:
    """``text`` with ID, mobile and bank-card numbers and self-given names replaced by placeholders."""
    if not _MAYBE.search(text):
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def mask_data(value: Any) -> Any:
    """Every string inside a JSON-like value, masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_data(item) for item in value]
    return value
