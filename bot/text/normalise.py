"""Clean a citizen's message before anything reads it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

MAX_CHARS = 500
_TO_SIMPLIFIED = OpenCC("t2s")  # traditional characters and phrases to simplified (沙灣區 → 沙湾区)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]"
)  # and lone surrogates
HAN = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


@lru_cache(maxsize=1024)  # each layer normalises the message it reads: eight times a message
def normalise_text(text: str, limit: int = MAX_CHARS, spaces_as_breaks: bool = False) -> str:
    """NFKC (full-width letters and digits to half-width), no control characters, no spaces next to
    Chinese characters (or a "，" for them with ``spaces_as_breaks``: "能取不 要多久" is two questions),
    single spaces elsewhere, at most ``limit`` characters, simplified Chinese, dialect 冇 as 没."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _CJK_SPACE.sub("，" if spaces_as_breaks else "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _TO_SIMPLIFIED.convert(text[:limit]).replace("冇", "没")  # 冇 (湖北, 重庆): 没有


def han_count(text: str) -> int:
    """How many Chinese characters ``text`` has ("？？" and "asdkjh" none)."""
    return len(HAN.findall(text))
