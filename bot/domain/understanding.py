"""What understanding returns: an intent, a confidence score and the slots read from the text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Protocol

from bot.domain.intents import Intent

FUND_OPTION = "fund"  # `option` of a village target question naming a fund ("dana desa 50 juta")


@dataclass(frozen=True, slots=True, kw_only=True)
class Slots:
    """Values read from a message (or carried by a button). Every field is optional.

    Region and village slots hold Kemendagri codes once resolved; `place` keeps the name as
    typed while it is unresolved or ambiguous.
    """

    money: int | None = None
    age: int | None = None
    birth_year: int | None = None
    year: int | None = None
    region: str | None = None
    other_region: str | None = None
    village: str | None = None
    place: str | None = None
    occupation: str | None = None
    language: str | None = None
    option: str | None = None

    def merged(self, newer: Slots) -> Slots:
        """These slots with every field that `newer` sets taken from `newer`."""
        changes = {
            f.name: getattr(newer, f.name)
            for f in fields(newer)
            if getattr(newer, f.name) is not None
        }
        return replace(self, **changes)

    def as_dict(self) -> dict[str, str | int]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not None
        }

    @property
    def empty(self) -> bool:
        return not self.as_dict()


@dataclass(frozen=True, slots=True, kw_only=True)
class Understanding:
    """The reading of one message.

    `clarify` lists intents to offer as buttons when two readings are too close to choose.
    `more` holds the message's further questions, in the order asked (each answered after
    this one). `explicit` marks a short command or exact phrase ("stop", "/english"): only
    those change a setting without a confirmation. `money_guess` is what a mistyped amount
    likely means ("gaji 4500": 4,500,000), asked back instead of computed with.
    `locale` is the language the message is written in when it is not Indonesian ("en").
    """

    intent: Intent
    score: float
    slots: Slots = field(default_factory=Slots)
    clarify: tuple[Intent, ...] = ()
    more: tuple[Understanding, ...] = ()
    explicit: bool = False
    money_guess: int | None = None
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in a message: `codes` are every Kemendagri code it may denote."""

    text: str
    codes: tuple[str, ...]


class PlaceFinder(Protocol):
    """Finds place names in a message (implemented over the gazetteer, outside the NLU)."""

    def find(self, text: str) -> list[PlaceMention]: ...


class Understander(Protocol):
    """Pure text-to-understanding: no I/O per call.

    `today` is the user's date (dates such as a birth year are checked against it).
    """

    def understand(
        self, text: str, *, previous: Understanding | None = None, today: date | None = None
    ) -> Understanding: ...
