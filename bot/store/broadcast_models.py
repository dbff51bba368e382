"""The broadcast and outbox records the store hands out (frozen dataclasses), and stored times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

BroadcastStatus = Literal["draft", "scheduled", "sending", "done", "cancelled"]
OutboxState = Literal["pending", "in_flight", "sent", "failed", "blocked", "cancelled", "skipped"]
PLATFORM_CHANNELS = ("telegram", "whatsapp")
LEASE_KEY = "outbox.sender_lease"  # the `meta` row naming who sends the outbox, until when


@dataclass(frozen=True, slots=True, kw_only=True)
class SenderLease:
    """Who sends the outbox (one process at a time), until when unless renewed."""

    holder: str
    expires_at: datetime


def iso(moment: datetime) -> str:
    """UTC, fixed width, so stored times compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Audience:
    region_code: str | None = None
    village_heads: bool = False
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Broadcast:
    id: int
    created_by: str
    text_id: str
    text_en: str | None
    audience: Audience
    send_at: datetime | None
    status: BroadcastStatus
    created_at: datetime
    confirmed_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AudienceCount:
    per_channel: dict[str, int]
    whatsapp_outside_window: int = 0

    @property
    def total(self) -> int:
        return sum(self.per_channel.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem:
    id: int
    broadcast_id: int
    user_id: int
    channel: str
    chat_id: str
    locale: str
    attempts: int
    possible_duplicate: bool
    last_seen_at: datetime
    text_id: str
    text_en: str | None
    first_failed_at: datetime | None = None  # first transient failure (retry period start)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryResult:
    """What happened to one claimed row. `state="pending"` with `not_before` is a retry."""

    item_id: int
    state: OutboxState
    error: str = ""
    message_id: str | None = None
    not_before: datetime | None = None
    via_template: bool = False
    possible_duplicate: bool = False  # the platform may have it already (answer lost)


SkipReason = Literal["cancelled", "opted_out", "inactive", "gone"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastReport:
    broadcast: Broadcast
    states: dict[str, int]
    per_channel: dict[str, dict[str, int]]
    failures: list[tuple[str, int]]
    possible_duplicates: int
    via_template: int
    resent_after_crash: int = 0
    waiting_retry: int = 0  # pending after a transient failure, to be tried again

    def count(self, *states: str) -> int:
        return sum(self.states.get(state, 0) for state in states)

    @property
    def total(self) -> int:
        return sum(self.states.values())


def parse_lease(value: str) -> SenderLease:
    """The `meta` value "EXPIRES HOLDER" of the sender lease."""
    expires, _, holder = value.partition(" ")
    return SenderLease(holder=holder, expires_at=datetime.fromisoformat(expires))
