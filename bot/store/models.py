"""Frozen dataclasses returned by the store; callers never see rows or SQL types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from bot.domain.addresses import address_of
from bot.domain.roles import Role

FactStatus = Literal["vetted", "secondary", "uncertain"]


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: int
    channel: str
    external_id: str
    locale: str | None
    region_code: str | None
    created_at: datetime
    last_seen_at: datetime  # the last inbound message (WhatsApp's 24-hour window starts here)
    active: bool = True  # False once the platform said the user cannot be reached

    @property
    def address(self) -> str:
        """`channel:external_id`, as settings, roles and the audit log name people."""
        return address_of(self.channel, self.external_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """One figure or rule with where it comes from and when it is in force.

    `value` is None for a rule without a figure (e.g. a claim procedure with its regulation).
    `status` is "secondary" when the reference read it only in third-party material and
    "uncertain" when sources conflict: answers must say so.
    """

    key: str
    value: Decimal | None
    unit: str
    valid_from: date
    valid_to: date | None
    status: FactStatus
    source: str
    refs: str = ""
    note: str = ""

    @property
    def year(self) -> int:
        return self.valid_from.year

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def amount(self) -> Decimal:
        """The figure; raises for a rule fact, which has none."""
        if self.value is None:
            raise ValueError(f"fact {self.key} has no value")
        return self.value


@dataclass(frozen=True, slots=True)
class Unknown:
    """A fact the store does not have for that date: render as "not known, call 175"."""

    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversationState:
    intent: str
    slots: str
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Arrival:
    """A person who just wrote: their record (seen now), granted role, remembered topic."""

    user: User
    role: Role
    conversation: ConversationState | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    id: int
    channel: str
    text: str
    intent: str
    score: float
    created_at: datetime
