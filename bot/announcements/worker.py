"""The outbox worker: sends due outbox rows of every running channel at its broadcast pace.

Guarantees (see docs/announcements.md):
- a row is marked `in_flight` before its send and its outcome is stored before the next row
  takes its place, so at most `window` rows per channel are in flight at any moment;
- after a crash, rows left in flight are sent once more and counted as possible duplicates;
  a row stored as `sent` is never sent again;
- right before each send the row is checked: cancelled broadcast, opted-out or unreachable
  user → not sent;
- rate limits pause and slow the channel; 5xx/network errors retry with exponential backoff
  up to `max_attempts`; blocked users and invalid messages are recorded, not retried;
- WhatsApp users outside the 24-hour window get the configured template instead;
- one sender at a time: a worker holds an exclusive lease (renewed while it runs) before it
  recovers rows in flight; a second one waits (`serve`) or refuses (`broadcast send`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.announcements.config import BroadcastConfig
from bot.announcements.pace import BroadcastPace
from bot.announcements.preflight import template_parameter
from bot.announcements.render import announcement_reply, announcement_text
from bot.core.delivery import Channel, DeliveryFailed, FailureKind
from bot.core.i18n import Translator
from bot.domain.messages import ChatRef
from bot.domain.service_window import inside_window
from bot.store import Store
from bot.store.broadcasts import (
    DeliveryResult,
    OutboxItem,
    SenderLease,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_FLUSH_SECONDS = 0.02  # outcomes stored together (a slot is free again once stored)
_STOP_GRACE_SECONDS = 5.0
_CHANNEL_PAUSE_MAX = 60.0  # longer waits (WhatsApp 131049: a day) hold back one row only
LEASE_SECONDS = 60.0  # a sender that stops renewing (a crash) frees the outbox after this


class SenderBusy(Exception):
    """Another process sends the outbox right now (its lease is live)."""

    def __init__(self, lease: SenderLease):
        super().__init__(
            f"announcements are being sent by {lease.holder}"
            f" (lease until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC)"
        )
        self.lease = lease


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(holder: str) -> bool:
    """Whether a lease holder is known to be dead: an earlier worker of this process (one
    runs per process), or a process of this host that no longer exists (a crash)."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _utcnow() -> datetime:
    return datetime.now(UTC)


@runtime_checkable
class TemplateSender(Protocol):
    """What the WhatsApp channel offers for users outside the 24-hour window."""

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str: ...


class _ResultWriter:
    """Stores outcomes in batches (one transaction each); `put` returns once stored."""

    def __init__(self, store: Store):
        self._store = store
        self._batch: list[tuple[DeliveryResult, asyncio.Future[None]]] = []
        self._kick = asyncio.Event()
        self._closed = False

    def close(self) -> None:
        """`run` stores what is left, then returns (never cut off inside a transaction)."""
        self._closed = True
        self._kick.set()

    async def put(self, result: DeliveryResult) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._batch.append((result, future))
        self._kick.set()
        await future

    async def run(self) -> None:
        while not self._closed:
            await self._kick.wait()
            if not self._closed:
                await asyncio.sleep(_FLUSH_SECONDS)
            await self.flush()

    async def flush(self) -> None:
        self._kick.clear()
        batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            await self._store.broadcasts.record(result for result, _ in batch)
        except Exception as exc:
            log.exception("could not store %d delivery outcomes", len(batch))
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)


class ChannelSender:
    """Sends one channel's outbox rows, at most `window` at a time, paced by `BroadcastPace`."""

    def __init__(
        self,
        channel: Channel,
        store: Store,
        config: BroadcastConfig,
        translator: Translator,
        writer: _ResultWriter,
        *,
        clock: Clock = _utcnow,
    ):
        self.channel = channel
        self.pacer = BroadcastPace(config.rate(channel.name))
        self._store = store
        self._config = config
        self._t = translator
        self._writer = writer
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()
        self._signal = asyncio.Event()
        self._stopping = False
        self._aborting = False

    def wake(self) -> None:
        self._signal.set()

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def run(self) -> None:
        window = self._config.window
        try:
            while not self._stopping:
                free = window - len(self._tasks)
                items: list[OutboxItem] = []
                if free > 0 and (free >= max(1, window // 4) or not self._tasks):
                    items = await self._store.broadcasts.claim(
                        self.channel.name, free, self._clock()
                    )
                for item in items:
                    task = asyncio.create_task(self._one(item))
                    self._tasks.add(task)
                    task.add_done_callback(self._done)
                if items and len(self._tasks) < window:
                    continue
                self._signal.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._signal.wait(), self._config.poll_seconds)
        finally:
            await self._finish_in_flight()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._signal.set()

    async def stop(self) -> None:
        self._stopping = True
        self._signal.set()

    def abort(self) -> None:
        """Cut every send under way (see `OutboxWorker.abort`)."""
        self._stopping = self._aborting = True
        for task in list(self._tasks):
            task.cancel()

    async def _finish_in_flight(self) -> None:
        """Let sends under way finish and be stored; past the grace period they are cut off
        and stay `in_flight` (sent again at the next start, counted as possible duplicates)."""
        if not self._tasks:
            return
        grace = 0 if self._aborting else _STOP_GRACE_SECONDS
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _one(self, item: OutboxItem) -> None:
        try:
            result = await self._attempt(item)
        except Exception:
            log.exception("broadcast send crashed channel=%s row=%d", item.channel, item.id)
            result = self._retry(item, "internal error")
        try:
            await self._writer.put(result)
        except Exception:
            log.error("outcome of row %d not stored; it will be retried after restart", item.id)

    async def _attempt(self, item: OutboxItem) -> DeliveryResult:
        await self.pacer.wait()
        reason = await self._store.broadcasts.skip_reason(item.id)
        if reason is not None:
            if reason == "cancelled":
                return DeliveryResult(item_id=item.id, state="cancelled", error=reason)
            return DeliveryResult(item_id=item.id, state="skipped", error=reason)
        chat = ChatRef(channel=item.channel, user_id=item.chat_id, chat_id=item.chat_id)  # type: ignore[arg-type]
        use_template = self._outside_window(item)
        try:
            if use_template:
                message_id = await self._send_template(chat, item)
            else:
                reply = announcement_reply(item.text_id, item.text_en, item.locale, self._t)
                message_id = await self.channel.deliver(chat, [reply], bulk=True)
        except DeliveryFailed as exc:
            if exc.kind is FailureKind.OUTSIDE_WINDOW and not use_template and self._can_template:
                return await self._template_instead(chat, item)
            return self._failure(item, exc, via_template=use_template)
        return DeliveryResult(
            item_id=item.id, state="sent", message_id=message_id, via_template=use_template
        )

    @property
    def _can_template(self) -> bool:
        return bool(self._config.template_name) and isinstance(self.channel, TemplateSender)

    def _outside_window(self, item: OutboxItem) -> bool:
        if item.channel != "whatsapp" or not self._can_template:
            return False
        return not inside_window(item.last_seen_at, self._clock())

    async def _send_template(self, chat: ChatRef, item: OutboxItem) -> str:
        if not isinstance(self.channel, TemplateSender) or not self._config.template_name:
            raise DeliveryFailed(FailureKind.OUTSIDE_WINDOW, "no template configured")
        text = announcement_text(item.text_id, item.text_en, item.locale)
        return await self.channel.send_template(
            chat,
            self._config.template_name,
            self._config.template_language,
            [template_parameter(text)],
        )

    async def _template_instead(self, chat: ChatRef, item: OutboxItem) -> DeliveryResult:
        await self.pacer.wait()
        try:
            message_id = await self._send_template(chat, item)
        except DeliveryFailed as exc:
            return self._failure(item, exc, via_template=True)
        return DeliveryResult(
            item_id=item.id, state="sent", message_id=message_id, via_template=True
        )

    def _failure(
        self, item: OutboxItem, exc: DeliveryFailed, *, via_template: bool
    ) -> DeliveryResult:
        error = f"{exc.kind.value}: {exc.detail}"[:200] if exc.detail else exc.kind.value
        if exc.kind is FailureKind.BLOCKED:
            return DeliveryResult(item_id=item.id, state="blocked", error=error)
        if exc.kind in (FailureKind.INVALID, FailureKind.OUTSIDE_WINDOW):
            return DeliveryResult(item_id=item.id, state="failed", error=error)
        if exc.kind is FailureKind.RATE_LIMITED:
            if exc.retry_after is None or exc.retry_after <= _CHANNEL_PAUSE_MAX:
                self.pacer.rate_limited(exc.retry_after)  # else: one recipient's long wait
            if item.attempts >= self._config.max_attempts * 4:
                return DeliveryResult(item_id=item.id, state="failed", error=error)
            wait = exc.retry_after if exc.retry_after and exc.retry_after > 0 else 1.0
            return DeliveryResult(
                item_id=item.id,
                state="pending",
                error=error,
                not_before=self._clock() + timedelta(seconds=wait),
            )
        if item.attempts >= self._config.max_attempts:
            return DeliveryResult(
                item_id=item.id, state="failed", error=error, possible_duplicate=exc.possibly_sent
            )
        return self._retry(item, error, possibly_sent=exc.possibly_sent)

    def _retry(
        self, item: OutboxItem, error: str, *, possibly_sent: bool = False
    ) -> DeliveryResult:
        delay = min(300.0, self._config.backoff_seconds * 2 ** max(0, item.attempts - 1))
        return DeliveryResult(
            item_id=item.id,
            state="pending",
            error=error,
            not_before=self._clock() + timedelta(seconds=delay),
            possible_duplicate=possibly_sent,
        )


class OutboxWorker:
    """Runs one `ChannelSender` per channel, starts scheduled broadcasts, closes finished ones."""

    def __init__(
        self,
        store: Store,
        channels: Sequence[Channel],
        config: BroadcastConfig,
        translator: Translator,
        *,
        clock: Clock = _utcnow,
        lease_seconds: float = LEASE_SECONDS,
    ):
        self._store = store
        self._config = config
        self._clock = clock
        self._writer = _ResultWriter(store)
        self.senders = [
            ChannelSender(channel, store, config, translator, self._writer, clock=clock)
            for channel in channels
        ]
        self._tasks: list[asyncio.Task[None]] = []
        self._lease_task: asyncio.Task[None] | None = None
        self._halt = asyncio.Event()
        self._holder = _holder()
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
        current = await self._store.broadcasts.sender_lease()
        dead = current.holder if current is not None and _gone(current.holder) else None
        return await self._store.broadcasts.take_sender_lease(
            self._holder, self._lease_ttl, _utcnow(), replacing=dead
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
        self.recovered = await self._store.broadcasts.recover_in_flight()
        if self.recovered:
            log.warning(
                "%d outbox rows were in flight at the last stop: sending them again",
                self.recovered,
            )
        self._tasks = [asyncio.create_task(self._writer.run(), name="outbox-writer")]
        self._tasks += [
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
        writer, *senders, scheduler = self._tasks
        for sender in self.senders:
            await sender.stop()
        await asyncio.gather(*senders, return_exceptions=True)
        self._writer.close()
        await asyncio.gather(writer, scheduler, return_exceptions=True)
        self._tasks = []
        await self._store.broadcasts.release_sender_lease(self._holder)

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

        while await self._store.broadcasts.has_work(names, due_by=due_by()):
            self.wake()
            await asyncio.sleep(poll)
        await self._store.broadcasts.finish_completed()
