"""Background care while the server runs: the daily retention purge and error counting.

Nothing grows forever: logged questions, WhatsApp message statuses and the outbox rows of
finished announcements go after `log_retention_days`, the staff audit log after
`audit_retention_days`, answered and closed tickets after `ticket_retention_days`, handled
WhatsApp message ids after Meta's re-delivery period, and long Telegram button payloads no
button sent within `BUTTON_MEMORY` carries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.metrics import ErrorCounter

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(days=1)
BUTTON_MEMORY = timedelta(days=90)  # an older button gets "this button is old, see the menu"


async def purge_question_log(store: Store, retention_days: int) -> int:
    """Delete logged questions older than the retention period (0 days keeps everything)."""
    if retention_days <= 0:
        return 0
    before = datetime.now(UTC) - timedelta(days=retention_days)
    removed = await store.privacy.purge_questions(before)
    log.info("question log purged", extra={"removed": removed, "days": retention_days})
    return removed


async def purge_records(
    store: Store, retention_days: int, audit_retention_days: int, ticket_retention_days: int = 0
) -> int:
    """The whole retention purge (question log included); returns how many rows went."""
    removed = await purge_question_log(store, retention_days)
    now = datetime.now(UTC)
    if ticket_retention_days > 0:
        tickets = await store.tickets.purge(now - timedelta(days=ticket_retention_days))
        log.info("tickets purged", extra={"removed": tickets, "days": ticket_retention_days})
        removed += tickets
    if retention_days > 0:
        counts = await store.privacy.purge_message_records(now - timedelta(days=retention_days))
        log.info("message records purged", extra={"removed": counts, "days": retention_days})
        removed += sum(counts.values())
    if audit_retention_days > 0:
        audit = await store.privacy.purge_audit(now - timedelta(days=audit_retention_days))
        log.info("audit log purged", extra={"removed": audit, "days": audit_retention_days})
        removed += audit
    removed += await store.whatsapp.prune_inbound()
    removed += await store.telegram.forget_callbacks(BUTTON_MEMORY)
    return removed


class Housekeeping:
    """Started and stopped with the web app: purges at start, then once a day."""

    def __init__(
        self,
        store: Store,
        *,
        retention_days: int,
        errors: ErrorCounter,
        audit_retention_days: int = 0,
        ticket_retention_days: int = 0,
    ):
        self._store = store
        self._retention_days = retention_days
        self._audit_retention_days = audit_retention_days
        self._ticket_retention_days = ticket_retention_days
        self._errors = errors
        self._task: asyncio.Task[None] | None = None

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
                # Several workers on one database: the purge runs in one of them at a time.
                async with self._store.singleton("housekeeping") as mine:
                    if mine:
                        await purge_records(
                            self._store,
                            self._retention_days,
                            self._audit_retention_days,
                            self._ticket_retention_days,
                        )
            except Exception:
                log.exception("retention purge failed", extra={"kind": "housekeeping"})
            await asyncio.sleep(PURGE_INTERVAL.total_seconds())
