"""A plain keyword-search baseline over the same guides: SQLite FTS5 over the knowledge base's `search` table.

The table holds one row per field of a service, its `name` and `terms` segmented by jieba's search mode
(bot/kb/build.py); the question is segmented the same way and its words are OR-ed, ranked by BM25. The answer
is the top hit's service: its name, every field's text, and the region its guide covers. No region or
dialogue handling, no asking back.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import jieba

WORD = re.compile(r"\w")
TOP_HIT = """SELECT search.service_id FROM search_fts JOIN search ON search.rowid = search_fts.rowid
             WHERE search_fts MATCH ? ORDER BY search_fts.rank LIMIT 1"""


def fts_query(question: str) -> str:
    """The question's jieba words (search mode) as an FTS5 OR query of quoted terms."""
    words = dict.fromkeys(w for w in jieba.cut_for_search(question) if WORD.search(w))
    return " OR ".join('"{}"'.format(w.replace('"', '""')) for w in words)


def answer(db: sqlite3.Connection, question: str) -> dict[str, Any]:
    """The batch-format answer built from the top hit (empty when nothing matches)."""
    query = fts_query(question)
    hit = db.execute(TOP_HIT, (query,)).fetchone() if query else None
    if not hit:
        return {"text": "", "service": None, "region": None, "clarify": False}
    name, scope, source = db.execute(
        "SELECT s.name, g.scope, g.title FROM services s JOIN guides g ON g.key = s.guide WHERE s.id = ?",
        hit).fetchone()
    fields = db.execute("SELECT label, text FROM fields WHERE service_id = ? ORDER BY id", hit).fetchall()
    text = "\n".join([name, *(f"{label}：{value}" for label, value in fields), f"来源：《{source}》"])
    return {"text": text, "service": name, "region": "、".join(json.loads(scope)), "clarify": False}


def answers(questions: list[dict[str, Any]], kb_path: Path) -> dict[str, dict[str, Any]]:
    """The baseline's answer to every question, by id."""
    db = sqlite3.connect(f"file:{kb_path}?mode=ro", uri=True)
    try:
        return {q["id"]: {"id": q["id"], **answer(db, q["q"])} for q in questions}
    finally:
        db.close()
