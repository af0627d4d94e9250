"""Read access to the built knowledge base."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from bot import paths
from bot.kb.region_resolver import RegionResolver
from bot.kb.regions import Region
from bot.kb.schema import TABLES

R = TypeVar("R")


class KnowledgeBaseError(RuntimeError):
    """The knowledge base is missing or unreadable; the message says what to run."""


@dataclass(frozen=True)
class Guide:
    key: str
    file: str
    kind: str
    title: str
    short: str
    issuer: str
    year: int | None
    scope: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # a message naming one of these asks about this guide's way ("川渝通办")

    def covers(self, path: str) -> bool:
        """True when ``path`` lies in (or is) one of the guide's scopes."""
        return any(path == s or path.startswith(s + "/") for s in self.scope)

    def depth(self) -> int:
        """How local the guide is: 0 for a province, 1 for a city."""
        return max(s.count("/") for s in self.scope)


@dataclass(frozen=True)
class Service:
    id: str
    guide: str
    seq: int
    name: str
    group_name: str | None
    codes: dict
    aliases: tuple[str, ...]
    line_start: int
    line_end: int
    twin: str | None = None  # the same 事项 in the document this guide is compared with (the 清单)


def _record(kind: type[R], row: dict, tuples: tuple[str, ...] = ()) -> R:
    """The dataclass ``kind`` from a decoded row's columns of its fields' names (``tuples`` as tuples)."""
    values = {f.name: row[f.name] for f in fields(kind) if f.name in row}  # type: ignore[arg-type]
    return kind(**values | {name: tuple(values[name] or ()) for name in tuples})


def _decode(row: sqlite3.Row, json_columns: tuple[str, ...]) -> dict:
    data = dict(row)
    for column in json_columns:
        if data.get(column) is not None:
            data[column] = json.loads(data[column])
    return data


class KnowledgeBase:
    """The guides, services, fields, contacts and regions of one knowledge-base file."""

    def __init__(self, path: Path = paths.KB_PATH) -> None:
        if not path.exists():
            raise KnowledgeBaseError(
                f"knowledge base {path} not found: run `make setup` (or `.venv/bin/python -m bot kb build`)"
            )
        self.path = path
        try:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            present = {r[0] for r in self.db.execute("select name from sqlite_master where type='table'")}
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseError(
                f"knowledge base {path} is unreadable ({error}): rebuild it with "
                "`.venv/bin/python -m bot kb build`"
            ) from error
        missing = set(TABLES) - present
        if missing:
            raise KnowledgeBaseError(
                f"knowledge base {path} lacks tables {sorted(missing)}: rebuild it with "
                "`.venv/bin/python -m bot kb build`"
            )

    def rows(self, sql: str, *args: object, json_columns: tuple[str, ...] = ()) -> list[dict]:
        return [_decode(row, json_columns) for row in self.db.execute(sql, args)]

    @cached_property
    def guides(self) -> dict[str, Guide]:
        rows = self.rows("select * from guides", json_columns=("scope", "keywords"))
        return {r["key"]: _record(Guide, r, tuples=("scope", "keywords")) for r in rows}

    @cached_property
    def services(self) -> dict[str, Service]:
        rows = self.rows("select * from services order by guide, seq", json_columns=("codes", "aliases"))
        return {r["id"]: _record(Service, r, tuples=("aliases",)) for r in rows}

    @cached_property
    def regions(self) -> list[Region]:
        return [
            Region(
                path=r["path"],
                name=r["name"],
                level=r["level"],
                parent=r["parent"],
                adcode=r["adcode"],
                aliases=r["aliases"],
                former=r["former"] or [],
            )
            for r in self.rows("select * from regions", json_columns=("aliases", "former"))
        ]

    @cached_property
    def resolver(self) -> RegionResolver:
        """Region lookup in which the scopes of local (city) guides win ties."""
        local = [s for g in self.guides.values() if g.depth() > 0 for s in g.scope]
        return RegionResolver(
            self.regions, preferred=local, covered=[s for g in self.guides.values() for s in g.scope]
        )

    def fields(self, service_id: str) -> list[dict]:
        return self.rows(
            "select * from fields where service_id = ? order by id", service_id, json_columns=("items",)
        )

    def contacts(self, service_id: str) -> list[dict]:
        return self.rows(
            "select * from contacts where service_id = ? order by id",
            service_id,
            json_columns=("consult", "complaint"),
        )

    def conflicts(self, service_id: str) -> list[dict]:
        return self.rows(
            "select * from conflicts where service_id = ? or other_service_id = ?", service_id, service_id
        )

    def overrides(self, service_id: str) -> list[dict]:
        return self.rows("select * from overrides_applied where service_id = ?", service_id)
