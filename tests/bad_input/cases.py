"""The odd and hostile texts every channel is sent (tests/bad_input), and what the answers must say.

Each text goes through REST, socket.io, WeChat and the hotline API; a channel may refuse one with a clean 4xx
where its contract says so (the hotline: empty or over 500 characters; WeChat: characters XML cannot carry),
and otherwise must answer it. After each text the same conversation gets `NORMAL` and must answer `PHONE`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

NORMAL = "沙湾区的，住院报销打哪个电话"
PHONE = "0833-3432615"
ASK = "沙湾区住院报销打哪个电话"  # the question inside many of the texts: answered with PHONE
LONG = 10_000  # characters


@dataclass(frozen=True)
class Case:
    """One text; ``expect`` is what the answer must contain when the text holds a real question."""

    group: str
    name: str
    text: str
    expect: str | None = None

    @property
    def id(self) -> str:
        return f"{self.group}-{self.name}"


def group(name: str, *cases: tuple[str, str] | tuple[str, str, str]) -> list[Case]:
    return [Case(name, *case) for case in cases]


TEXTS: list[Case] = [
    *group("blank",
           ("empty", ""),
           ("space", " "),
           ("tabs-newlines", "\t\n\r\n\t"),
           ("ideographic-spaces", "\u3000\u3000\u3000"),
           ("no-break-space", "\u00a0"),
           ("zero-width", "\u200b\u200c\u200d"),
           ("bom", "\ufeff"),
           ("punctuation", "。，、？！"),
           ("question-marks", "？？？???"),
           ("dots", "......")),
    *group("long",
           ("chinese-10k", "医" * LONG),
           ("question-10k", (ASK * LONG)[:LONG], PHONE),
           ("ascii-10k", "a" * LONG),
           ("emoji-10k", "😀" * LONG),
           ("trailing-spaces-10k", NORMAL + " " * (LONG - len(NORMAL)), PHONE),
           ("newlines-10k", "\n" * LONG),
           ("words-10k", "住院报销" * (LONG // 4))),
    *group("emoji",
           ("one", "😀"),
           ("thumbs", "👍👍👍"),
           ("medical", "🏥💊🩺❓"),
           ("zwj-family", "👨‍👩‍👧‍👦"),
           ("flag", "🇨🇳"),
           ("around-question", f"🏥{ASK}📞", PHONE)),
    *group("language",
           ("english", "Hello, how do I get reimbursed for my hospital bill?"),
           ("english-phone", "What is the phone number for Shawan district?"),
           ("japanese", "入院費用の払い戻しはどうすればいいですか"),
           ("korean", "의료보험 환급 전화번호가 뭐예요?"),
           ("russian", "Какой номер телефона для возмещения расходов на госпитализацию?"),
           ("arabic", "ما هو رقم الهاتف لاسترداد تكاليف المستشفى؟"),
           ("hindi", "अस्पताल का बिल वापस कैसे मिलेगा?"),
           ("thai", "เบอร์โทรศัพท์ประกันสุขภาพคืออะไร")),
    *group("traditional",
           ("question", "沙灣區住院報銷打哪個電話", PHONE),
           ("normal", "沙灣區的，住院報銷打哪個電話？", PHONE),
           ("full-names", "樂山市沙灣區住院費用報銷諮詢電話是多少", PHONE),
           ("mixed-scripts", "沙灣区住院报銷打哪个電話", PHONE),
           ("materials", "峨眉山市住院報銷要帶什麼材料", "住院费用报销")),
    *group("width",
           ("full-width-question-mark", f"{ASK}？", PHONE),
           ("full-width-letters-digits", f"ＡＢＣ１２３{ASK}？４５６ｘｙｚ", PHONE),
           ("ideographic-spaces", "沙湾区\u3000住院报销\u3000打哪个电话", PHONE),
           ("half-width-punctuation", "沙湾区的,住院报销打哪个电话?", PHONE),
           ("full-width-exclamations", f"{ASK}！！！１１１", PHONE),
           ("half-width-katakana", f"ｱｲｳ{ASK}", PHONE)),
    *group("markup",
           ("script", "<script>alert(1)</script>"),
           ("img-onerror-question", f"<img src=x onerror=alert(1)>{ASK}", PHONE),
           ("svg", "</textarea><svg onload=alert(1)>"),
           ("templates", "{{7*7}}${7*7}<%= 7*7 %>"),
           ("attribute-break", "\"><a href=javascript:alert(1)>点我</a>"),
           ("cdata-end", "]]><xml>&amp;&lt;&#0;"),
           ("json", '{"text": "injected", "buttons": [{"title": "x", "payload": "/greet"}]}'),
           ("intent-payload", '/ask_phone{"region": "四川省/乐山市/沙湾区"}'),
           ("markdown", "[点我](javascript:alert(1)) **粗体** `code`")),
    *group("sql",
           ("drop-table", "'; DROP TABLE events; --"),
           ("or-true", "1' OR '1'='1"),
           ("union-question", f"沙湾区' UNION SELECT * FROM sqlite_master --{ASK}", PHONE),
           ("bobby-tables", "Robert'); DROP TABLE students;--"),
           ("like-wildcard", "%' AND 1=1 --")),
    *group("control",
           ("nul", "\x00"),
           ("nul-and-bell-in-question", "沙湾区\x00住院报销\x07打哪个电话", PHONE),
           ("ansi-escapes", f"\x1b[31m{ASK}\x1b[0m", PHONE),
           ("bidi-override", f"\u202e{ASK}\u202c", PHONE),
           ("lone-surrogate", "\ud800"),
           ("crlf", f"\r\n\r\n{ASK}\r\n", PHONE),
           ("c1-controls", "\x7f\x80\x9f"),
           ("backspaces", "\x08" * 100)),
    # Rasa's "/intent{entities}" shortcut, typed by a citizen: entities of any type must not break the answer.
    *group("slash",
           ("choice-not-a-number", '/inform{"choice": "x"}'),
           ("region-a-number", '/ask_phone{"region": 5}'),
           ("service-an-object", '/complain{"service": {"a": 1}}'),
           ("aspect-an-object", '/inform{"aspect": {"a": 1}}'),
           ("broken-json", '/inform{"service": '),
           ("unknown-intent", "/no_such_intent"),
           ("restart", "/restart")),
]


# Bodies no JSON endpoint can use, whatever its fields (REST and the hotline API both answer them with 400).
NOT_AN_OBJECT = [
    pytest.param(b"hello", id="not-json"),
    pytest.param(b"", id="empty"),
    pytest.param(b"null", id="null"),
    pytest.param(b'"hi"', id="string"),
    pytest.param(b"42", id="number"),
    pytest.param(b"[" * 30_000 + b"]" * 30_000, id="nested-too-deep"),
]


def params(cases: list[Case] = TEXTS) -> list:
    """The cases as pytest parameters named by their group and name."""
    return [pytest.param(case, id=case.id) for case in cases]
