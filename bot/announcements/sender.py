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
from bot.announcements.results import ResultWriter
from bot.core.delivery import Channel, DeliveryFailed, FailureKind
from bot.core.i18n import Translator
from bot.domain.messages import ChatRef
from bot.domain.service_window import inside_window
from bot.store import Store
from bot.store.broadcasts import DeliveryResult, OutboxItem

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_STOP_GRACE_SECONDS = 5.0
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
        writer: ResultWriter,
        *,
        clock: Clock = utcnow,
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
                    items = await self._store.outbox.claim(self.channel.name, free, self._clock())
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
        reason = await self._store.outbox.skip_reason(item.id)
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
