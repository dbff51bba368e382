"""One channel's lane of the outbox: claims due rows, checks and sends each, stores outcomes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.announcements.config import BroadcastConfig
from bot.announcements.pace import BroadcastPace
from bot.announcements.preflight import template_parameter
from bot.announcements.render import announcement_reply, announcement_text
from bot.core.delivery import (
    Channel,
    DeliveryFailed,
    FailureKind,
    NotHandedOver,
    handing_over,
)
from bot.core.i18n import Translator
from bot.domain.messages import ChatRef
from bot.domain.service_window import inside_window
from bot.store import Store
from bot.store.broadcasts import DeliveryResult, OutboxItem

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# (channel, outcome, reason): sent, retried, failed, blocked, skipped, cancelled (/metrics)
DeliveryObserver = Callable[[str, str, str], None]
_STOP_GRACE_SECONDS = 5.0
_STORE_RETRY_SECONDS = (0.05, 0.25, 1.0, 2.0)  # storing an outcome again (database busy)
_CHANNEL_PAUSE_MAX = 60.0  # longer waits (WhatsApp 131049: a day) hold back one row only


def utcnow() -> datetime:
    return datetime.now(UTC)


@runtime_checkable
class TemplateSender(Protocol):
    """What the WhatsApp channel offers for users outside the 24-hour window."""

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str: ...


class ChannelSender:
    """Sends one channel's outbox rows, at most `window` at a time, paced by `BroadcastPace`."""

    def __init__(
        self,
        channel: Channel,
        store: Store,
        config: BroadcastConfig,
        translator: Translator,
        *,
        clock: Clock = utcnow,
        observe: DeliveryObserver | None = None,
    ):
        self.channel = channel
        self.pacer = BroadcastPace(config.rate(channel.name))
        self._store = store
        self._config = config
        self._t = translator
        self._clock = clock
        self._observe = observe
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
                    items = await self._claim(free)
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

    async def _claim(self, limit: int) -> list[OutboxItem]:
        try:
            return await self._store.outbox.claim(self.channel.name, limit, self._clock())
        except Exception:  # e.g. the database locked by another process: try again later
            log.exception("claiming outbox rows failed channel=%s", self.channel.name)
            return []

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
        await self._store_outcome(result)
        if self._observe is not None:
            self._observe(self.channel.name, *_outcome(result))

    async def _store_outcome(self, result: DeliveryResult) -> None:
        """Store the outcome, trying again while the database is busy (a write lock held by
        another process past SQLite's busy timeout): a row left in flight would stay there
        until a restart and then be sent again. A stop cuts this off (the row stays in
        flight and is resent at the next start, counted only if it was handed over)."""
        attempt = 0
        while True:
            try:
                await self._store.outbox.record([result])
                return
            except Exception:
                delay = _STORE_RETRY_SECONDS[min(attempt, len(_STORE_RETRY_SECONDS) - 1)]
                attempt += 1
                log.exception(
                    "storing the outcome of row %d failed: again in %.2f s", result.item_id, delay
                )
                await asyncio.sleep(delay)

    async def _attempt(self, item: OutboxItem) -> DeliveryResult:
        await self.pacer.wait()
        reason = await self._store.outbox.skip_reason(item.id)
        if reason is not None:
            return _not_sent(item, reason)
        handed = False

        async def hand_over() -> None:
            """Called by the channel right before the request goes out, after its pacing:
            checked again and marked as handed to the platform, in one write."""
            nonlocal handed
            if handed:
                return  # the channel sends again (a retry of its own): marked already
            refused = await self._store.outbox.hand_over(item.id)
            if refused is not None:
                raise NotHandedOver(refused)
            handed = True

        with handing_over(hand_over):
            try:
                return await self._deliver(item)
            except NotHandedOver as exc:
                return _not_sent(item, exc.reason)

    async def _deliver(self, item: OutboxItem) -> DeliveryResult:
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
        if exc.kind is FailureKind.RATE_LIMITED and (
            exc.retry_after is None or exc.retry_after <= _CHANNEL_PAUSE_MAX
        ):
            self.pacer.rate_limited(exc.retry_after)  # else: one recipient's long wait
        return self._retry(
            item, error, retry_after=exc.retry_after, possibly_sent=exc.possibly_sent
        )

    def _retry(
        self,
        item: OutboxItem,
        error: str,
        *,
        retry_after: float | None = None,
        possibly_sent: bool = False,
    ) -> DeliveryResult:
        """Try again later (doubling back-off, at least what the platform asked for), for
        `retry_seconds` after the first failure; then the row fails with this cause."""
        now = self._clock()
        first = item.first_failed_at or now
        if (now - first).total_seconds() >= self._config.retry_seconds:
            return DeliveryResult(
                item_id=item.id, state="failed", error=error, possible_duplicate=possibly_sent
            )
        delay = min(
            self._config.backoff_max_seconds,
            self._config.backoff_seconds * 2 ** max(0, item.attempts - 1),
        )
        if retry_after is not None and retry_after > delay:
            delay = retry_after
        return DeliveryResult(
            item_id=item.id,
            state="pending",
            error=error,
            not_before=now + timedelta(seconds=delay),
            possible_duplicate=possibly_sent,
        )


def _not_sent(item: OutboxItem, reason: str) -> DeliveryResult:
    if reason == "cancelled":
        return DeliveryResult(item_id=item.id, state="cancelled", error=reason)
    return DeliveryResult(item_id=item.id, state="skipped", error=reason)


def _outcome(result: DeliveryResult) -> tuple[str, str]:
    """The /metrics labels of an outcome: (outcome, reason), with few distinct reasons."""
    reason = result.error.partition(":")[0] if result.error else ""
    if result.state == "pending":
        return "retried", reason or "transient"
    if result.state == "sent":
        return "sent", "template" if result.via_template else "message"
    return result.state, reason or result.state
