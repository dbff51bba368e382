"""What every platform adapter offers the rest of the app (web routes, lifecycle, delivery)."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
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


class NotHandedOver(Exception):
    """Raised by the hand-over hook (see `about_to_send`): this message must not go out after
    all (its broadcast was cancelled, the person opted out). Nothing was sent."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


HandOver = Callable[[], Awaitable[None]]
_HAND_OVER: ContextVar[HandOver | None] = ContextVar("jamsos_hand_over", default=None)


@contextlib.contextmanager
def handing_over(hook: HandOver) -> Iterator[None]:
    """Run `hook` whenever a channel is about to put a bulk request on the wire, inside this
    block (the outbox marks its row as handed to the platform, or refuses)."""
    token = _HAND_OVER.set(hook)
    try:
        yield
    finally:
        _HAND_OVER.reset(token)


async def about_to_send() -> None:
    """Channels await this right before a bulk (announcement) request goes out, after their
    own pacing: what was handed over is what a crash may have delivered. May raise
    `NotHandedOver`."""
    hook = _HAND_OVER.get()
    if hook is not None:
        await hook()


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
