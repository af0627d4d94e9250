"""Rasa's SQL tracker store, storing every event with citizens' personal data masked (bot.privacy), and
reading back only what a turn needs, so that a turn costs the same at the hundredth message.

Configured in endpoints.yml as ``type: bot.tracker_store.MaskingSQLTrackerStore`` with the usual SQL
settings (SQLite file by default, PostgreSQL when scaled out) and optionally ``recent_turns`` (default 5).
The running conversation keeps the original text in memory; only what is written to the database is masked.

`retrieve` (what each turn loads) gives the last ``recent_turns`` user messages of the session with the events
after them, preceded by the latest value of every slot set before them: the only policy (RulePolicy) looks at
a few turns, and the actions read the slots and the last messages. Rasa's own store replays the whole session
on every turn and sends all of it to the action server. Nothing is dropped from the database:
`retrieve_full_tracker` (review, export, Rasa's HTTP API) still reads every event.

An answer's card (the structured answer the hotline page and the widget show, in the bot message's data) is
stored once in its own table and referred to by its hash from every bot message that carried it: the same
card, asked a thousand times, is one row. A turn's `retrieve` leaves the references as they are (no action
reads an earlier card); `retrieve_full_tracker` puts the cards back.

On SQLite the file is kept open (a pool of connections, where SQLAlchemy 1.4 would reopen it for every
session) and in WAL mode (readers do not wait for the writer; a commit appends to the log instead of
rewriting pages) with ``synchronous=NORMAL``, which WAL makes safe against corruption.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.dialects import postgresql, sqlite

from bot.privacy import mask_data

logger = logging.getLogger(__name__)
# The user messages a turn reads back: the feedback action looks back past the 👎, its reason and the second
# 👎 (which hands over to a person) for the question they were about; more turns cost every turn more
# (turn 200 at 1.29-1.37× turn 1 with 10; with 5, 0.95-1.10× in A/B runs; in bench/RESULTS.md of 2026-12-08
# 1.32×, flat from turn 10 on: the first turns are cheaper while the window fills).
RECENT_TURNS = 5
LOADED = "_yibao_loaded"  # the attribute of a retrieved tracker: how many of its events are stored already
MAX_KNOWN_CARDS = 100_000  # card refs remembered as stored (64-character hashes: a few MB at the most)
CARD_REF = "card_ref"  # in a stored bot message's answer data, in place of its card: the card's hash


@dataclass(frozen=True)
class MaskedEvent:
    """What SQLTrackerStore.save reads of an event: its type and its data, here masked."""

    type_name: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


def _write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class MaskingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that masks 身份证号, 手机号, 银行卡号 and names in the events it writes, and reads a
    session's recent turns and slots instead of all of it."""

    engine: sa.engine.Engine

    def __init__(self, domain: Domain | None = None, recent_turns: int = RECENT_TURNS, **kwargs: Any) -> None:
        super().__init__(domain, **kwargs)
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            # SQLAlchemy 1.4 opens a file database anew for every session (NullPool): every turn would reopen
            # it, and the last connection's close would checkpoint the log. Connections are kept instead.
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _write_ahead_log)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.recent_turns = recent_turns
        self._recent = self._recent_statement()
        self._stored_cards: set[str] = set()  # the refs of the cards this store has written
        self.cards = sa.Table(
            "yibao_cards",
            sa.MetaData(),
            sa.Column("ref", sa.String(64), primary_key=True),
            sa.Column("card", sa.Text, nullable=False),
        )
        try:
            self.cards.create(self.engine, checkfirst=True)
        except sa.exc.SQLAlchemyError as error:  # another server creating it at the same moment
            logger.warning("table %s not created: %s", self.cards.name, error)
        # What `retrieve` looks up: the session start, the user messages, the slots before the recent ones.
        # With action_name (a slot event's slot), the latest value of each slot is read from the index alone.
        event = self.SQLEvent
        index = sa.Index(
            "yibao_events_sender_type_action", event.sender_id, event.type_name, event.action_name
        )
        try:
            index.create(self.engine, checkfirst=True)
        except sa.exc.SQLAlchemyError as error:  # another server creating it at the same moment
            logger.warning("index %s not created: %s", index.name, error)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The session's recent turns, after the slots as they stood before them."""
        with self.session_scope() as session:
            events = [json.loads(data) for data in self._recent_data(session, sender_id)]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, LOADED, len(events))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """Every event of every session, each answer with its card."""
        with self.session_scope() as session:
            rows = self._event_query(session, conversation_id, fetch_events_from_all_sessions=True).all()
            events = [json.loads(row.data) for row in rows]
            refs = {ref for event in events if (ref := _answer(event).get(CARD_REF))}
            found = session.execute(sa.select(self.cards).where(self.cards.c.ref.in_(refs))) if refs else []
            cards = {row.ref: json.loads(row.card) for row in found}
        for event in events:
            answer = _answer(event)
            if answer.get(CARD_REF) in cards:
                answer["card"] = cards[answer.pop(CARD_REF)]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(conversation_id, events, self.domain.slots)

    def _recent_data(self, session: Any, sender_id: str) -> list[str]:
        """The stored events (their JSON) of the latest slot values before the recent turns, then of the
        recent turns, read in one statement."""
        return [data for (data,) in session.execute(self._recent, {"sender_id": sender_id})]

    def _recent_statement(self) -> sa.sql.Select:
        """The statement `_recent_data` runs, built once: within the current session (from its latest
        SessionStarted, as Rasa's store reads it) the events from the ``recent_turns``-th last user message on
        (all of them in a shorter session), and before that the latest event of each slot."""
        event = self.SQLEvent.__table__.c
        sender = sa.bindparam("sender_id")
        start = (
            sa.select(sa.func.max(event.timestamp))
            .where(event.sender_id == sender, event.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        current = sa.and_(event.sender_id == sender, sa.or_(start.is_(None), event.timestamp >= start))
        users = (
            sa.select(event.id)
            .where(current, event.type_name == UserUttered.type_name)
            .order_by(event.id.desc())
            .limit(self.recent_turns)
            .subquery()
        )
        cut = sa.select(
            sa.case((sa.func.count() < self.recent_turns, 0), else_=sa.func.min(users.c.id))
        ).scalar_subquery()
        latest_slots = (  # a slot event's action_name column holds the slot's name
            sa.select(sa.func.max(event.id))
            .where(current, event.type_name == SlotSet.type_name, event.id < cut)
            .group_by(event.action_name)
        )
        return (
            sa.select(event.data)
            .where(current, sa.or_(event.id >= cut, event.id.in_(latest_slots)))
            .order_by(event.id)
        )

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        """A new conversation's tracker: none of its events is stored yet."""
        tracker = super().init_tracker(sender_id)
        setattr(tracker, LOADED, 0)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not stored yet, masked, as SQLTrackerStore.save does, in one executemany insert
        instead of one ORM object each; the tracker then counts them as stored."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                {
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": event.data.get("timestamp"),
                    "intent_name": ((event.data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "action_name": event.data.get("name"),
                    "data": json.dumps(event.data),
                }
                for event in self._additional_events(session, tracker)
            ]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()
            if len(self._stored_cards) < MAX_KNOWN_CARDS:
                self._stored_cards.update(session.info.pop(CARD_REF, ()))
        setattr(tracker, LOADED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[MaskedEvent]:
        """The events not stored yet (those after what `retrieve` loaded), masked."""
        loaded = getattr(tracker, LOADED, None)
        if loaded is None:
            events: Any = super()._additional_events(session, tracker)
        else:
            events = list(tracker.events)[loaded:]
        for event in events:
            data = mask_data(event.as_dict())
            if event.type_name == BotUttered.type_name:
                self._store_card(session, _answer(data))
            yield MaskedEvent(event.type_name, data)

    def _store_card(self, session: Any, answer: dict[str, Any]) -> None:
        """Put the answer's card in the cards table (once) and its hash in its place."""
        if not isinstance(answer.get("card"), dict):
            return
        text = json.dumps(answer.pop("card"), ensure_ascii=False, sort_keys=True)
        ref = hashlib.sha256(text.encode()).hexdigest()
        answer[CARD_REF] = ref
        if ref in self._stored_cards:  # cards are never deleted: once stored, stored
            return
        dialects = {"sqlite": sqlite, "postgresql": postgresql}
        dialect = dialects.get(self.engine.dialect.name)
        if dialect is not None:  # another server may store the same card at the same moment
            session.execute(dialect.insert(self.cards).values(ref=ref, card=text).on_conflict_do_nothing())
        elif session.execute(sa.select(self.cards.c.ref).where(self.cards.c.ref == ref)).first() is None:
            session.execute(self.cards.insert().values(ref=ref, card=text))
        session.info.setdefault(CARD_REF, []).append(ref)  # remembered once committed (`save`)


def _answer(event: dict[str, Any]) -> dict[str, Any]:
    """The answer data of a stored bot message (``{}`` for any other event), as a part of ``event``."""
    custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
    answer = custom.get("yibao") if isinstance(custom, dict) else None
    return answer if isinstance(answer, dict) else {}
