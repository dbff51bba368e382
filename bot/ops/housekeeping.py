"""Background care while the server runs: the daily log-retention purge and error counting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.ops.metrics import ErrorCounter

if TYPE_CHECKING:
    from bot.app import App
    from bot.store import Store

log = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(days=1)


async def purge_question_log(store: Store, retention_days: int) -> int:
    """Delete logged questions older than the retention period (0 days keeps everything)."""
    if retention_days <= 0:
        return 0
    before = datetime.now(UTC) - timedelta(days=retention_days)
    removed = await store.privacy.purge_questions(before)
    log.info("question log purged", extra={"removed": removed, "days": retention_days})
    return removed


class Housekeeping:
    """Started and stopped with the web app: purges at start, then once a day."""

    def __init__(self, store: Store, *, retention_days: int, errors: ErrorCounter):
        self._store = store
        self._retention_days = retention_days
        self._errors = errors
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def for_app(cls, app: App) -> Housekeeping:
        return cls(
            app.store,
            retention_days=app.settings.log_retention_days,
            errors=ErrorCounter(app.dispatcher.metrics),
        )

    async def start(self) -> None:
        logging.getLogger().addHandler(self._errors)
        self._task = asyncio.create_task(self._run(), name="housekeeping")

    async def stop(self) -> None:
        logging.getLogger().removeHandler(self._errors)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await purge_question_log(self._store, self._retention_days)
            except Exception:
                log.exception("question log purge failed", extra={"kind": "housekeeping"})
            await asyncio.sleep(PURGE_INTERVAL.total_seconds())
