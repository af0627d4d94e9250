"""Labelled review items back into the training data: ``python -m bot learn FILE`` (then ``make model``).

A line counts when it is marked ``"labelled": true`` (an operator's correction is; a maintainer sets it on
each line checked) and its ``service`` is a 事项名称 of the guides or ``none``. Questions already in the
training data, or in a blind set (which must stay unseen), are left out and reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evaluation.blind import blind_sets, read_set
from bot.kb.store import KnowledgeBase
from bot.nlu.generate import QUESTIONS, read_questions

REVIEWED = QUESTIONS / "reviewed.jsonl"
KEPT_KEYS = ("id", "q", "service", "region", "asks", "history")


@dataclass
class Learnt:
    added: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (question, why)


def learn(path: Path, kb: KnowledgeBase, target: Path = REVIEWED) -> Learnt:
    """Append the labelled lines of ``path`` to ``target`` (nlu_data/questions/reviewed.jsonl)."""
    services = {s.name for s in kb.services.values()} | {"none"}
    known = {str(q.get("q", "")).strip() for q in read_questions()}
    unseen = {str(q.get("q", "")).strip() for p in blind_sets().values() for q in read_set(p)}
    result = Learnt()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            result.skipped.append((f"line {number}", "not JSON"))
            continue
        text = str(item.get("q", "")).strip() if isinstance(item, dict) else ""
        why = _problem(item, text, services, kb, known, unseen)
        if why:
            result.skipped.append((text or f"line {number}", why))
            continue
        known.add(text)
        result.added.append({key: item[key] for key in KEPT_KEYS if item.get(key) not in (None, "", [])})
    if result.added:
        with target.open("a", encoding="utf-8") as out:
            out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in result.added)
    return result


def _problem(
    item: Any, text: str, services: set[str], kb: KnowledgeBase, known: set[str], unseen: set[str]
) -> str | None:
    """Why a line cannot be learnt, or None."""
    if not isinstance(item, dict) or not text:
        return "no question (q)"
    if item.get("labelled") is not True:
        return 'not marked "labelled": true'
    if item.get("service") not in services:
        return f"service {item.get('service')!r} is no 事项名称 of the guides (nor none)"
    region = item.get("region")
    if region not in (None, "none") and str(region).removesuffix("/市本级") not in kb.resolver.regions:
        return f"region {region!r} is not a region of the knowledge base"
    if text in unseen:
        return "in a blind set: it must stay unseen"
    if text in known:
        return "already in the training data"
    return None
