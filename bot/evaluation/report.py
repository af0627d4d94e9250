"""Figures of graded answers: the evaluation kit's summary, per question set, per service (precision and
recall, by 事项 across guides) and the most frequent confusions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot import paths
from bot.evaluation.grading import expected_service, grade, same_service, source_digits
from bot.kb.concepts import concept_of, concepts
from bot.kb.store import KnowledgeBase


@dataclass
class Report:
    """Everything `python -m bot eval` prints about one run."""

    overall: dict[str, float]
    by_set: dict[str, dict[str, float]]
    by_service: dict[str, dict[str, float]]  # concept → precision, recall, n
    confusions: list[tuple[str, str, int]]  # expected, got (or "—" for none / asking back), count
    failures: dict[str, list[str]] = field(default_factory=dict)


def make_report(
    questions: list[dict[str, Any]], answers: dict[str, dict[str, Any]], kb: KnowledgeBase | None = None
) -> Report:
    corpus = source_digits(paths.SOURCES)
    names = concept_of(concepts(kb or KnowledgeBase()))

    def concept(name: str | None) -> str:
        return names.get(name or "", name or "—")

    def same(expected: str, got: str | None) -> bool:
        return same_service(expected, got) or concept(expected) == concept(got)

    figures = grade(questions, answers, corpus, same)
    by_set: dict[str, list[dict[str, Any]]] = {}
    for q in questions:
        by_set.setdefault(q.get("set", "?"), []).append(q)

    # "—": no service (asked which one, or answered none); asking only for the place keeps the service
    pairs = [
        (concept(expected_service(q)), concept(answers[q["id"]].get("service")))
        for q in questions
        if expected_service(q)
    ]
    expected, got = Counter(e for e, _ in pairs), Counter(g for _, g in pairs)
    right = Counter(e for e, g in pairs if e == g)
    by_service = {
        name: {"precision": right[name] / got[name] if got[name] else 0.0, "recall": right[name] / n, "n": n}
        for name, n in sorted(expected.items())
    }
    confusions = Counter((e, g) for e, g in pairs if e != g)
    return Report(
        figures.summary(),
        {name: grade(qs, answers, corpus, same).summary() for name, qs in sorted(by_set.items())},
        by_service,
        [(e, g, n) for (e, g), n in confusions.most_common(15)],
        figures.failures,
    )


def render(report: Report, title: str) -> str:
    """The report as plain text."""

    def figures(summary: dict[str, float]) -> str:
        return "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in summary.items())

    lines = [f"== {title}", figures(report.overall), "", "per question set:"]
    lines += [f"  {name:12s} {figures(summary)}" for name, summary in report.by_set.items()]
    lines += ["", "per service (precision / recall / questions):"]
    lines += [
        f"  {v['precision']:.2f} / {v['recall']:.2f} / {v['n']:4d}  {name}"
        for name, v in sorted(report.by_service.items(), key=lambda item: item[1]["recall"])
    ]
    lines += ["", "most frequent confusions (expected → got):"]
    lines += [f"  {n:3d}  {e} → {g}" for e, g, n in report.confusions]
    return "\n".join(lines)
