"""The evaluation kit's figures (../shared/eval/README.md), computed here so the project stands alone.

Same rules: whitespace ignored; a service matches when one name contains the other; a region when the
expected leaf occurs in the answer's region; a phone is fabricated when its digits occur in no source guide.
A training question labelled ``"service": "none"`` (it names no service) expects none, like a missing label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ALWAYS_ALLOWED = {"12345", "12393"}
PHONE = re.compile(r"(?<![\d-])(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|123\d{2})(?![\d])")
NO_DATA_WORDS = (
    "未列",
    "没有列",
    "未提供",
    "没有提供",
    "未公布",
    "没有公布",
    "未载明",
    "没有找到",
    "暂无",
    "查不到",
    "没有相关",
    "12345",
)


def squash(text: str | None) -> str:
    """Drop whitespace, keeping one space between two ASCII letters or digits."""
    text = re.sub(r"(?<=[0-9A-Za-z])\s+(?=[0-9A-Za-z])", " ", text or "")
    return re.sub(r"[^\S ]+|(?<![0-9A-Za-z]) +| +(?![0-9A-Za-z])", "", text)


def phones_in(text: str) -> set[str]:
    return {m.replace("-", "") for m in PHONE.findall(squash(text))}


def source_digits(directory: Path) -> str:
    return re.sub(
        r"[\s-]", "", "".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt")))
    )


@dataclass
class Figures:
    """Counts over a question set; ratios as properties."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "items",
                "fully_right",
                "service_n",
                "service_ok",
                "region_n",
                "region_ok",
                "facts_n",
                "facts_ok",
                "wrong_facts",
                "fabricated",
                "clarify_n",
                "clarify_ok",
                "needless_clarify",
                "nodata_n",
                "nodata_ok",
            ),
            0,
        )
    )
    failures: dict[str, list[str]] = field(default_factory=dict)

    def ratio(self, name: str) -> float:
        n = self.counts[f"{name}_n"]
        return self.counts[f"{name}_ok"] / n if n else 1.0

    def summary(self) -> dict[str, float]:
        items = self.counts["items"]
        return {
            "items": items,
            "fully_right": self.counts["fully_right"] / items if items else 1.0,
            "service_acc": self.ratio("service"),
            "region_acc": self.ratio("region"),
            "fact_recall": self.ratio("facts"),
            "wrong_facts": self.counts["wrong_facts"],
            "fabricated_phones": self.counts["fabricated"],
            "clarify_acc": self.ratio("clarify"),
            "needless_clarify": self.counts["needless_clarify"],
            "no_data_acc": self.ratio("nodata"),
        }


def expected_service(question: dict) -> str | None:
    """The service a question expects, None for none (also for the training label "none")."""
    service = question.get("service")
    return None if not service or service == "none" or question.get("expect") == "clarify" else service


def same_service(expected: str, got: str | None) -> bool:
    want, have = squash(expected), squash(got)
    return bool(have) and (want == have or want in have or have in want)


def grade(
    questions: list[dict],
    answers: dict[str, dict],
    corpus: str,
    same: Callable[[str, str | None], bool] = same_service,
) -> Figures:
    """The kit's figures; ``same`` decides whether two service names are the same 事项 (the kit's rule: one
    contains the other; the training sets' labels need the knowledge base's, across guides' wordings)."""
    figures = Figures()
    count = figures.counts
    for q in questions:
        a = answers[q["id"]]
        problems: list[str] = []
        text = squash(a.get("text", ""))
        expect = q.get("expect")
        count["items"] += 1
        if expect == "clarify":
            count["clarify_n"] += 1
            count["clarify_ok"] += bool(a.get("clarify"))
            problems += [] if a.get("clarify") else ["did not ask back"]
        elif a.get("clarify"):
            count["needless_clarify"] += 1
            problems.append("asked back")
        service = expected_service(q)
        if service:
            count["service_n"] += 1
            ok = same(service, a.get("service"))
            count["service_ok"] += ok
            problems += [] if ok else [f"service {a.get('service')}"]
        if q.get("region") and expect != "clarify":
            count["region_n"] += 1
            ok = q["region"].split("/")[-1] in squash(a.get("region") or "")
            count["region_ok"] += ok
            problems += [] if ok else [f"region {a.get('region')}"]
        for needle in q.get("must_contain", []):
            count["facts_n"] += 1
            found = squash(needle) in text
            count["facts_ok"] += found
            problems += [] if found else [f"missing {needle}"]
        wrong = [n for n in q.get("must_not_contain", []) if squash(n) and squash(n) in text]
        count["wrong_facts"] += len(wrong)
        invented = [p for p in phones_in(text) if p not in ALWAYS_ALLOWED and p not in corpus]
        count["fabricated"] += len(invented)
        problems += [f"wrong {w}" for w in wrong] + [f"invented {p}" for p in invented]
        if expect in ("no_data", "no_phone_in_source"):
            count["nodata_n"] += 1
            own = phones_in(text) - ALWAYS_ALLOWED
            ok = any(w in text for w in NO_DATA_WORDS) and (expect == "no_data" or not own)
            count["nodata_ok"] += ok
            problems += [] if ok else ["no 'not listed'"]
        if problems:
            figures.failures[q["id"]] = problems
        else:
            count["fully_right"] += 1
    return figures
