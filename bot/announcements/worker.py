"""The outbox worker: sends due outbox rows of every running channel at its broadcast pace.

Guarantees (see docs/announcements.md):
- a row is marked `in_flight` before its send and its outcome is stored before the next row
  takes its place, so at most `window` rows per channel are in flight at any moment; an
  outcome that cannot be stored (the database locked) is stored again until it is;
- right before each send the row is checked (cancelled broadcast, opted-out or unreachable
  user → not sent) and marked as handed to the platform, in one write;
- after a crash, rows left in flight are sent once more; those handed over are counted as
  possible duplicates; a row stored as `sent` is never sent again;
- rate limits pause and slow the channel; 5xx/network errors retry with exponential backoff
  (at least the platform's `retry_after`) for `retry_seconds`, then the row fails with the
  cause; blocked users and invalid messages are recorded, not retried;
- WhatsApp users outside the 24-hour window get the configured template instead;
- one sender at a time: a worker holds an exclusive lease (renewed while it runs) before it
  recovers rows in flight; a second one waits (`serve`) or refuses (`broadcast send`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.announcements.config import BroadcastConfig
from bot.announcements.lease import LEASE_SECONDS, SenderBusy, is_gone, new_holder
from bot.announcements.sender import ChannelSender, Clock, TemplateSender, utcnow
from bot.core.delivery import Channel
from bot.core.i18n import Translator
from bot.core.metrics import Metrics
from bot.store import Store
from bot.store.broadcasts import SenderLease

__all__ = ["LEASE_SECONDS", "ChannelSender", "OutboxWorker", "SenderBusy", "TemplateSender"]

log = logging.getLogger(__name__)


class OutboxWorker:
    """Runs one `ChannelSender` per channel, starts scheduled broadcasts, closes finished ones."""

    def __init__(
        self,
        store: Store,
        channels: Sequence[Channel],
        config: BroadcastConfig,
        translator: Translator,
        *,
        clock: Clock = utcnow,
        lease_seconds: float = LEASE_SECONDS,
        metrics: Metrics | None = None,
    ):
        self._store = store
        self._config = config
        self._clock = clock
        observe = metrics.observe_delivery if metrics is not None else None
        self.senders = [
            ChannelSender(channel, store, config, translator, clock=clock, observe=observe)
            for channel in channels
        ]
        self._tasks: list[asyncio.Task[None]] = []
        self._lease_task: asyncio.Task[None] | None = None
        self._halt = asyncio.Event()
        self._holder = new_holder()
        self._lease_ttl = timedelta(seconds=lease_seconds)
        self.recovered = 0

    async def start(self, *, wait_for_lease: bool = True) -> None:
        """Take the sender lease and start sending. While another process holds it, wait in
        the background for it to end, or raise `SenderBusy` (`wait_for_lease=False`)."""
        self._halt.clear()
        lease = await self._take_lease()
        if lease.holder == self._holder:
            await self._begin()
            return
        if not wait_for_lease:
            raise SenderBusy(lease)
        log.warning("announcements are sent by %s: waiting for its lease to end", lease.holder)
        self._lease_task = asyncio.create_task(self._wait_for_lease(), name="outbox-lease")

    async def _take_lease(self) -> SenderLease:
        current = await self._store.outbox.sender_lease()
        dead = current.holder if current is not None and is_gone(current.holder) else None
        return await self._store.outbox.take_sender_lease(
            self._holder, self._lease_ttl, utcnow(), replacing=dead
        )

    async def _wait_for_lease(self) -> None:
        while (await self._take_lease()).holder != self._holder:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), self._config.poll_seconds)
            if self._halt.is_set():
                return
        await self._begin()

    async def _keep_lease(self) -> None:
        while not self._halt.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), self._lease_ttl.total_seconds() / 3)
            if self._halt.is_set():
                return
            try:
                lease = await self._take_lease()
            except Exception:
                log.exception("renewing the outbox lease failed")
                continue
            if lease.holder != self._holder:  # stalled past the lease: another took over
                log.error("outbox lease lost to %s: this sender stops", lease.holder)
                for sender in self.senders:
                    sender.abort()
                return

    async def _begin(self) -> None:
        self._lease_task = asyncio.create_task(self._keep_lease(), name="outbox-lease")
        self.recovered = await self._store.outbox.recover_in_flight()
        if self.recovered:
            log.warning(
                "%d outbox rows were in flight at the last stop: sending them again",
                self.recovered,
            )
        self._tasks = [
            asyncio.create_task(sender.run(), name=f"outbox-{sender.channel.name}")
            for sender in self.senders
        ]
        self._tasks.append(asyncio.create_task(self._schedule(), name="outbox-scheduler"))

    def wake(self) -> None:
        for sender in self.senders:
            sender.wake()

    async def stop(self) -> None:
        # Each task ends between two writes: a task cancelled inside a transaction would
        # leave the shared writer connection in it.
        self._halt.set()
        if self._lease_task is not None:
            await asyncio.gather(self._lease_task, return_exceptions=True)
            self._lease_task = None
        if not self._tasks:
            return
        *senders, scheduler = self._tasks
        for sender in self.senders:
            await sender.stop()
        await asyncio.gather(*senders, return_exceptions=True)
        await asyncio.gather(scheduler, return_exceptions=True)
        self._tasks = []
        await self._store.outbox.release_sender_lease(self._holder)

    async def abort(self) -> None:
        """Stop at once, as a crash would: rows in flight stay `in_flight` in the store
        and the lease is not released (it runs out)."""
        if self._lease_task is not None:
            self._lease_task.cancel()
            await asyncio.gather(self._lease_task, return_exceptions=True)
            self._lease_task = None
        for sender in self.senders:
            sender.abort()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _schedule(self) -> None:
        while not self._halt.is_set():
            try:
                if await self._store.broadcasts.start_due(self._clock()):
                    self.wake()
                await self._store.broadcasts.finish_completed()
            except Exception:
                log.exception("outbox scheduler step failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), self._config.poll_seconds)

    async def drain(self, poll: float = 0.01, *, horizon: float | None = None) -> None:
        """Wait until no row of these channels is pending or in flight (tests, the CLI);
        with `horizon` (seconds), rows held back for longer than that do not count."""
        names = [sender.channel.name for sender in self.senders]

        def due_by() -> datetime | None:
            return self._clock() + timedelta(seconds=horizon) if horizon is not None else None

        while await self._store.outbox.has_work(names, due_by=due_by()):
            self.wake()
            await asyncio.sleep(poll)
        await self._store.broadcasts.finish_completed()
