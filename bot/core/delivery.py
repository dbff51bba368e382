"""What every platform adapter offers the rest of the app (web routes, lifecycle, delivery)."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from starlette.routing import BaseRoute

from bot.domain.messages import ChatRef, Reply


class FailureKind(StrEnum):
    """Why a delivery failed, in the terms the outbox needs to decide what to do next."""

    BLOCKED = "blocked"  # the user blocked the bot / cannot be reached: never retry
    INVALID = "invalid"  # the platform refused the message itself: never retry
    RATE_LIMITED = "rate_limited"  # slow down, then retry after `retry_after`
    TRANSIENT = "transient"  # 5xx / network: retry with backoff
    OUTSIDE_WINDOW = "outside_window"  # WhatsApp 24-hour window closed: needs a template


class DeliveryFailed(Exception):
    """Raised by `Channel.deliver`; `retry_after` in seconds when the platform said so;
    `possibly_sent` when the request went out and only the answer was lost (a retry may
    deliver the message twice)."""

    def __init__(
        self,
        kind: FailureKind,
        detail: str = "",
        retry_after: float | None = None,
        *,
        possibly_sent: bool = False,
    ):
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after
        self.possibly_sent = possibly_sent


class Channel(Protocol):
    """A running platform adapter. `routes()` is empty when it needs no webhook (polling)."""

    name: str

    def routes(self) -> Sequence[BaseRoute]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        """Send replies; returns the platform id of the last message sent.

        `bulk=True` marks announcement traffic, which must yield to replies to users.
        Raises `DeliveryFailed`.
        """
        ...


class SendOnlyStart(Protocol):
    """A channel that can start for sending only: `start(receive=False)` neither polls, nor
    registers a webhook, nor answers messages left over from a crash (`broadcast send`,
    while no server runs). To become part of `Channel` once every adapter offers it."""

    async def start(self, *, receive: bool = True) -> None: ...


def starts_send_only(channel: Channel) -> bool:
    """Whether this channel offers `start(receive=False)` (see `SendOnlyStart`)."""
    return "receive" in inspect.signature(channel.start).parameters
