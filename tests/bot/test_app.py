"""Start-up leaves its long-lived objects out of the garbage collector's later passes."""

from __future__ import annotations

import gc

from bot.runtime import freeze_startup_heap


def test_objects_built_at_start_up_are_no_longer_scanned() -> None:
    built_at_start_up = {"gazetteer": [["a region"]]}
    assert any(o is built_at_start_up for o in gc.get_objects())
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
        assert not any(o is built_at_start_up for o in gc.get_objects())
        answered_later = {"reply": ["text"]}
        assert any(o is answered_later for o in gc.get_objects())  # new objects: as usual
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
