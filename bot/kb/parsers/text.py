"""Text helpers shared by the layout parsers: reading, unwrapping, lists, phones."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bot.kb.parsers.marks import NUMERALS
from bot.kb.records import Span

# An area-code number may be glued to the next one ("0818-53360070818-5336359"):
# prefer the length after which another area code starts. A bare local number may
# follow a full one ("0818-5336530、5336529（居民）"): it is kept as printed, never
# given an area code the source does not print. A short label in brackets after a
# number ("（职工）") stays with it.
_NUMBER = (
    r"(?:(?<!\d)0\d{2,3}\s*[-－—]\s*(?:\d{7,8}(?=0\d{2,3}[-－—])|\d{7,8}(?!\d))"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)123\d{2}(?!\d))"
)
_LABEL = r"(?:\s*[（(][^（）()\d]{1,12}[）)])?"
_BARE = r"(?:\s*[、，,/\\]\s*\d{7,8}(?![\d\-－—])" + _LABEL + ")"
_PHONE_RUN = re.compile(f"{_NUMBER}{_LABEL}{_BARE}*")
_PHONE_ITEM = re.compile(_NUMBER + _LABEL + r"|(?<=[、，,/\\])\s*\d{7,8}" + _LABEL)
_GLUED = re.compile(r"(?<=\d)(?=0\d{2,3}[-－—]\d{7,8})")
_SENTENCE_END = "。；;：:！!？?）)】」』”"
_ITEM_START = re.compile(r"^\s*(?:[-•·]\s*)?(?:\d{1,2}\s*[.．、]|[①-⑳]|[（(]\d{1,2}[）)])")
_ITEM_SPLIT = re.compile(r"(?:(?<=^)|(?<=[\s；;。：:]))(?:[-•·]\s*)?(\d{1,2})\s*[.．、](?!\d)")


def line_span(first: int, last: int | None = None) -> Span:
    """Lines ``first``..``last`` as 0-based indices into :func:`read_lines` -> a 1-based :class:`Span`."""
    return Span(first + 1, (first if last is None else last) + 1)


def read_lines(path: Path) -> list[str]:
    """The file's lines without line ends; index ``i`` is line ``i + 1``."""
    return path.read_text(encoding="utf-8").splitlines()


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to half-width), but keep Chinese punctuation."""
    keep = {"，": "，", "：": "：", "；": "；", "（": "（", "）": "）", "！": "！", "？": "？"}
    return "".join(keep.get(ch) or unicodedata.normalize("NFKC", ch) for ch in text)


def find_phones(text: str) -> list[str]:
    """Phone numbers in ``text`` as printed, normalised ("0833-2096331", "13800000000", "12345",
    "5336529（居民）"), in order, unique. Half-width brackets become full-width."""
    found: list[str] = []
    text = _GLUED.sub(" ", normalise(text))
    for run in _PHONE_RUN.finditer(text):
        for item in _PHONE_ITEM.finditer(run.group(0)):
            number = re.sub(r"\s+", "", item.group(0)).replace("－", "-").replace("—", "-")
            number = number.replace("(", "（").replace(")", "）")
            if number not in found:
                found.append(number)
    return found


def unwrap(lines: list[str]) -> str:
    """Join lines that a PDF conversion broke mid-sentence.

    A line continues the previous one unless the previous ended a sentence or
    the line starts a numbered item. A colon inside an unclosed bracket
    ("（网址：" before a wrapped URL) does not end a sentence. Blank lines
    between the pieces of a broken sentence are skipped.
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip().strip("\t")
        if not line:
            continue
        if out and not _ends_sentence(out[-1]) and not _ITEM_START.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (a colon inside an open bracket does not)."""
    if text.endswith(("：", ":")) and text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        return False
    return text.endswith(tuple(_SENTENCE_END))


def strip_item_marker(text: str) -> str:
    """Drop a leading "- ", "1." or "①" from a list item."""
    return re.sub(
        r"^\s*(?:[-•·]\s*)?(?:\d{1,2}\s*[.．、](?!\d)|[①-⑳]|[（(]\d{1,2}[）)])\s*", "", text
    ).strip()


def split_items(text: str, keep_tail: bool = True) -> list[str]:
    """Split numbered text ("1.…；2.…") into items; a text without numbering is one item.

    Numbers must count up from 1 to be taken as item markers, so "不超过3个工作日"
    or a year inside an item does not split it. With ``keep_tail=False`` a note
    after the last item ("5.设备清单。 以上资料均需加盖公章。") is left out of it.
    """
    flat = re.sub(r"\s*\n\s*", " ", text.strip())
    cuts: list[int] = []
    expected = 1
    for match in _ITEM_SPLIT.finditer(flat):
        if int(match.group(1)) == expected:
            cuts.append(match.start())
            expected += 1
    if len(cuts) < 2:
        return [strip_item_marker(flat)] if flat else []
    bounds = cuts + [len(flat)]
    head = flat[: cuts[0]].strip()
    items = [strip_item_marker(flat[a:b]).strip() for a, b in zip(bounds, bounds[1:])]
    if not keep_tail:
        items[-1] = re.split(r"(?<=[。.])\s+", items[-1], maxsplit=1)[0]
    return ([head] if head else []) + [item for item in items if item]


def list_items(text: str) -> list[str]:
    """The items of a numbered text ("1.…；2.…"), or [] when the text is not a numbered list."""
    items = split_items(text)
    return items if len(items) > 1 else []


def strip_final_stop(text: str) -> str:
    """ "单位参保登记。" -> "单位参保登记"."""
    return text.strip().rstrip("。.").strip()


_DIGITS = {ch: n for n, ch in enumerate(NUMERALS[:9], start=1)}


def cn_number(text: str) -> int:
    """ "三十六" -> 36 (numerals up to 九十九)."""
    if "十" not in text:
        return _DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
