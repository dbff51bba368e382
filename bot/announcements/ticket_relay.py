"""The relay worker: sends due rows of the ticket relay outbox over the running channels.

Each row is claimed (`in_flight`) before its send and its outcome stored right after: a row
stored as `sent` is never sent again, and a restart sends again only rows a crash left in
flight (flagged as possible duplicates). A staff answer to a WhatsApp user outside the 24-hour
window is sent as the configured answer template, or waits for the user's next message (with
the "an answer is waiting" template once, when configured).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.config import Settings
from bot.core.delivery import Channel, DeliveryFailed, FailureKind
from bot.domain.messages import Button as ReplyButton
from bot.domain.messages import ChatRef, Reply
from bot.store import Store
from bot.store.ticket_relays import RelayItem, RelayResult

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
WHATSAPP_WINDOW = timedelta(hours=24)
_WINDOW_MARGIN = timedelta(minutes=10)  # no free-form send started at 23:59:59
_BATCH = 16
_BACKOFF_SECONDS = 1.0
_MAX_BACKOFF_SECONDS = 300.0


def _utcnow() -> datetime:
    return datetime.now(UTC)


@runtime_checkable
class TemplateSender(Protocol):
    """What the WhatsApp channel offers for users outside the 24-hour window."""

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayConfig:
    poll_seconds: float = 1.0
    max_attempts: int = 5
    waiting_template: str | None = None  # "an answer is waiting for you", no parameter
    answer_template: str | None = None  # the answer itself as the one body parameter
    template_language: str = "id"

    @classmethod
    def from_settings(cls, settings: Settings) -> RelayConfig:
        return cls(
            poll_seconds=settings.handover_poll_seconds,
            max_attempts=settings.handover_max_attempts,
            waiting_template=settings.handover_waiting_template,
            answer_template=settings.handover_answer_template,
            template_language=settings.handover_template_language,
        )


class RelayWorker:
    """Polls the relay outbox; one send at a time (ticket traffic is light)."""

    def __init__(
        self,
        store: Store,
        channels: Sequence[Channel],
        config: RelayConfig,
        *,
        clock: Clock = _utcnow,
    ):
        self._store = store
        self._channels = {channel.name: channel for channel in channels}
        self._config = config
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        recovered = await self._store.ticket_relays.recover()
        if recovered:
            log.warning("ticket relays left in flight are sent again", extra={"rows": recovered})
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="ticket-relay")

    async def stop(self) -> None:
        """Finishes the send under way (its outcome stored), then returns."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                sent = await self.run_once()
            except Exception:
                log.exception("ticket relay round failed", extra={"kind": "handover"})
                sent = 0
            if sent:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._config.poll_seconds)

    async def run_once(self) -> int:
        """Send every due row once; returns how many were tried."""
        tried = 0
        for name, channel in self._channels.items():
            now = self._clock()
            items = await self._store.ticket_relays.claim(
                name, _BATCH, now, now - WHATSAPP_WINDOW + _WINDOW_MARGIN
            )
            for item in items:
                result = await self._attempt(channel, item)
                await self._store.ticket_relays.finish(result, now=self._clock())
                tried += 1
                if self._stopping.is_set():
                    return tried
        return tried

    async def _attempt(self, channel: Channel, item: RelayItem) -> RelayResult:
        chat = ChatRef(
            channel=channel.name,  # type: ignore[arg-type]
            user_id=item.chat_id,
            chat_id=item.chat_id,
            is_group=item.chat_id.startswith("-"),
        )
        if item.kind == "answer" and self._outside_window(channel, item):
            return await self._outside(channel, chat, item)
        reply = Reply(
            text=item.text,
            buttons=tuple(
                ReplyButton(title=title, payload=payload) for title, payload in item.buttons
            ),
        )
        try:
            message_id = await channel.deliver(chat, [reply])
        except DeliveryFailed as exc:
            if exc.kind is FailureKind.OUTSIDE_WINDOW and item.kind == "answer":
                return await self._outside(channel, chat, item)
            return self._failure(item, exc)
        except Exception:
            log.exception("ticket relay send crashed", extra={"kind": "handover"})
            return self._retry(item, "internal error")
        return RelayResult(item_id=item.id, state="sent", message_id=message_id)

    def _outside_window(self, channel: Channel, item: RelayItem) -> bool:
        if channel.name != "whatsapp":
            return False
        return item.last_seen_at < self._clock() - WHATSAPP_WINDOW + _WINDOW_MARGIN

    async def _outside(self, channel: Channel, chat: ChatRef, item: RelayItem) -> RelayResult:
        """The answer by template when one is configured; else it waits for the user, who
        is told once (by template, when configured) that an answer is waiting."""
        config = self._config
        if not isinstance(channel, TemplateSender):
            return RelayResult(item_id=item.id, state="waiting", error="outside_window")
        try:
            if config.answer_template:
                message_id = await channel.send_template(
                    chat, config.answer_template, config.template_language, [item.text[:1024]]
                )
                return RelayResult(
                    item_id=item.id, state="sent", message_id=message_id, via_template=True
                )
            if config.waiting_template and not item.waiting_notice:
                await channel.send_template(
                    chat, config.waiting_template, config.template_language, []
                )
                return RelayResult(
                    item_id=item.id, state="waiting", error="outside_window", waiting_notice=True
                )
        except DeliveryFailed as exc:
            return self._failure(item, exc)
        return RelayResult(item_id=item.id, state="waiting", error="outside_window")

    def _failure(self, item: RelayItem, exc: DeliveryFailed) -> RelayResult:
        error = f"{exc.kind.value}: {exc.detail}"[:200] if exc.detail else exc.kind.value
        if exc.kind in (FailureKind.BLOCKED, FailureKind.INVALID, FailureKind.OUTSIDE_WINDOW):
            log.warning("ticket relay not deliverable: %s", error, extra={"kind": "handover"})
            return RelayResult(item_id=item.id, state="failed", error=error)
        if item.attempts >= self._config.max_attempts:
            return RelayResult(item_id=item.id, state="failed", error=error)
        if exc.kind is FailureKind.RATE_LIMITED and exc.retry_after:
            wait = exc.retry_after
            return RelayResult(
                item_id=item.id,
                state="pending",
                error=error,
                not_before=self._clock() + timedelta(seconds=wait),
            )
        return self._retry(item, error)

    def _retry(self, item: RelayItem, error: str) -> RelayResult:
        delay = min(_MAX_BACKOFF_SECONDS, _BACKOFF_SECONDS * 2 ** max(0, item.attempts - 1))
        return RelayResult(
            item_id=item.id,
            state="pending",
            error=error,
            not_before=self._clock() + timedelta(seconds=delay),
        )
