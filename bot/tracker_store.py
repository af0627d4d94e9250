"""Rasa's SQL tracker store, storing every event with citizens' personal data masked (bot.privacy).

Configured in endpoints.yml as ``type: bot.tracker_store.MaskingSQLTrackerStore`` with the usual SQL
settings (SQLite file by default, PostgreSQL when scaled out). The running conversation keeps the original
text in memory; only what is written to the database is masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy import mask_data


@dataclass(frozen=True)
class MaskedEvent:
    """What SQLTrackerStore.save reads of an event: its type and its data, here masked."""

    type_name: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


class MaskingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that masks 身份证号, 手机号, 银行卡号 and names in the events it writes."""

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[MaskedEvent]:
        for event in super()._additional_events(session, tracker):
            yield MaskedEvent(event.type_name, mask_data(event.as_dict()))
