"""The tracker store on a real SQLite file: everything stored (masked), a turn reads back only the recent turns
and the slots as they stand, and new events are stored once."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import paths, rasa_speedups
from bot.tracker_store import MaskingSQLTrackerStore


@pytest.fixture
def store(tmp_path: Path) -> MaskingSQLTrackerStore:
    return MaskingSQLTrackerStore(Domain.load(paths.ROOT / "domain.yml"), recent_turns=3, dialect="sqlite",
                                  db=str(tmp_path / "tracker.db"))


def turn(n: int) -> list[Event]:
    events: list[Event] = [UserUttered(f"问题{n}，我的手机13812345678", {"name": "inform"}),
                           ActionExecuted("action_answer"), BotUttered(f"回答{n}")]
    if n % 4 == 0:
        events.append(SlotSet("region", f"地区{n}"))
    if n == 1:
        events.append(SlotSet("service", "住院费用报销"))
    return events + [ActionExecuted("action_listen")]


def conversation(turns: int) -> DialogueStateTracker:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for n in range(1, turns + 1):
        events += turn(n)
    return DialogueStateTracker.from_events("rest:long", events)


def stored_rows(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_long_session_reads_back_its_recent_turns_with_every_slot(store: MaskingSQLTrackerStore,
                                                                   tmp_path: Path) -> None:
    full = conversation(20)
    asyncio.run(store.save(full))
    recent = asyncio.run(store.retrieve("rest:long"))
    assert recent is not None
    assert [e.text for e in recent.events if isinstance(e, UserUttered)] == [
        "问题18，我的手机[手机号]", "问题19，我的手机[手机号]", "问题20，我的手机[手机号]"]
    assert recent.current_slot_values()["region"] == "地区20" and recent.get_slot("service") == "住院费用报销"
    assert len(recent.events) < len(full.events) / 4

    for event in turn(21):  # the next turn: only its own events are added
        recent.update(event)
    asyncio.run(store.save(recent))
    assert stored_rows(tmp_path) == len(full.events) + len(turn(21))
    whole = asyncio.run(store.retrieve_full_tracker("rest:long"))
    assert whole is not None and len(whole.events) == len(full.events) + len(turn(21))
    again = asyncio.run(store.retrieve("rest:long"))
    assert again is not None and again.latest_message.text.startswith("问题21")


def test_a_short_session_is_read_back_whole(store: MaskingSQLTrackerStore) -> None:
    asyncio.run(store.save(conversation(2)))
    recent, whole = asyncio.run(store.retrieve("rest:long")), asyncio.run(SQLTrackerStore.retrieve(store, "rest:long"))
    assert recent is not None and whole is not None and list(recent.events) == list(whole.events)
    assert asyncio.run(store.retrieve("nobody")) is None


def test_a_later_session_is_read_from_its_start_as_rasas_store_reads_it(store: MaskingSQLTrackerStore) -> None:
    tracker = conversation(8)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("service", "住院费用报销"),
                  ActionExecuted("action_listen"), *turn(9)]:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    recent, whole = asyncio.run(store.retrieve("rest:long")), asyncio.run(SQLTrackerStore.retrieve(store, "rest:long"))
    assert recent is not None and whole is not None and list(recent.events) == list(whole.events)
    assert [e.text for e in recent.events if isinstance(e, UserUttered)] == ["问题9，我的手机[手机号]"]

    for n in range(10, 14):  # four more turns: the recent three, after the slots as they stand
        for event in turn(n):
            recent.update(event)
    asyncio.run(store.save(recent))
    again = asyncio.run(store.retrieve("rest:long"))
    assert again is not None
    assert [e.text[:4] for e in again.events if isinstance(e, UserUttered)] == ["问题11", "问题12", "问题13"]
    assert again.get_slot("service") == "住院费用报销" and again.get_slot("region") == "地区12"
    assert not any(isinstance(e, SlotSet) and e.value == "地区8" for e in again.events)  # session 1's


def test_the_sqlite_file_is_in_write_ahead_log_mode(store: MaskingSQLTrackerStore, tmp_path: Path) -> None:
    asyncio.run(store.save(conversation(2)))
    asyncio.run(store.retrieve("rest:long"))
    # the file stays open between turns (no reopening, no checkpoint at every close): its log is still there
    assert (tmp_path / "tracker.db-wal").exists() and store.engine.pool.checkedin() >= 1
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_an_answers_card_is_stored_once_and_put_back_for_the_full_tracker(store: MaskingSQLTrackerStore,
                                                                          tmp_path: Path) -> None:
    card = {"service": "住院费用报销", "contact": {"consult": ["0833-3432615"]}, "script": "请拨打0833-3432615"}
    tracker = conversation(1)
    for n in (1, 2):  # the same answer twice, then another
        tracker.update(UserUttered(f"沙湾住院报销电话{n}", {"name": "ask_phone"}))
        tracker.update(BotUttered("咨询电话：0833-3432615", {"custom": {"yibao": {"service": "住院费用报销",
                                                                                     "card": card}}}))
    tracker.update(BotUttered("另一个", {"custom": {"yibao": {"card": card | {"service": "门诊费用报销"}}}}))
    asyncio.run(store.save(tracker))
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("SELECT count(*) FROM yibao_cards").fetchone()[0] == 2
        stored = [row[0] for row in db.execute("SELECT data FROM events WHERE type_name = 'bot'")]
    assert not any('"script"' in data for data in stored) and sum('"card_ref"' in data for data in stored) == 3
    recent = asyncio.run(store.retrieve("rest:long"))
    assert recent is not None
    assert [e.data["custom"]["yibao"].get("card") for e in recent.events if isinstance(e, BotUttered)
            and e.data.get("custom")] == [None, None, None]
    whole = asyncio.run(store.retrieve_full_tracker("rest:long"))
    assert whole is not None
    cards = [e.data["custom"]["yibao"]["card"] for e in whole.events if isinstance(e, BotUttered) and e.data.get("custom")]
    assert cards == [card, card, card | {"service": "门诊费用报销"}]
    assert "card_ref" not in whole.events[-1].data["custom"]["yibao"]


def test_a_new_conversation_saved_twice_stores_each_event_once_with_rasas_columns(
        store: MaskingSQLTrackerStore, tmp_path: Path) -> None:
    tracker = asyncio.run(store.create_tracker("rest:new"))  # saved once here, with its action_listen
    for event in turn(1):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing added
    assert stored_rows(tmp_path) == 1 + len(turn(1))
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        columns = db.execute("SELECT type_name, intent_name, action_name FROM events ORDER BY id").fetchall()
    assert columns == [("action", None, "action_listen"), ("user", "inform", None),
                       ("action", None, "action_answer"), ("bot", None, None), ("slot", None, "service"),
                       ("action", None, "action_listen")]


def test_a_new_conversation_through_rasas_wrappers_is_stored_without_reading(
        store: MaskingSQLTrackerStore, tmp_path: Path) -> None:
    rasa_speedups.apply()  # as loading the pipeline does: the wrappers ask our store for a new tracker
    wrapped = AwaitableTrackerStore(FailSafeTrackerStore(store))  # as Rasa wraps the configured store
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    tracker = asyncio.run(wrapped.create_tracker("rest:wrapped"))
    for event in turn(1):
        tracker.update(event)
    asyncio.run(wrapped.save(tracker))
    assert stored_rows(tmp_path) == 1 + len(turn(1))
    # nothing of this conversation was stored before: no count of its stored events, only the inserts
    assert [s.split()[0].upper() for s in statements if not s.startswith("PRAGMA")] == ["INSERT", "INSERT"]
