"""A server's loaded objects are frozen out of the garbage collector's generations (bot.heap)."""
from __future__ import annotations

import gc
import weakref

from bot import heap


class _Node:
    """An object that can hold itself, in a cycle only the collector frees."""

    def __init__(self) -> None:
        self.itself = self


def test_what_is_loaded_is_frozen_and_what_loading_left_is_collected() -> None:
    loaded = [[n] for n in range(100_000)]  # tracked objects that live on, as a loaded model's do
    left = weakref.ref(_Node())  # a cycle nobody holds any more
    try:
        heap.settle()
        assert left() is None  # collected, not frozen
        assert gc.get_freeze_count() >= len(loaded)
        tracked = {id(o) for o in gc.get_objects()}  # what a full collection walks
        assert not any(id(o) in tracked for o in loaded[::1000])
    finally:
        gc.unfreeze()
