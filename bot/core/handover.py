"""Handover to staff, the parts the dispatcher and the handlers share: office hours, where
staff are told about tickets, the staff notifications, and follow-ups to an open ticket.

The staff side speaks the configured default language; the user's side the user's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.config import Settings
from bot.core.i18n import Translator
from bot.domain.messages import CHANNELS
from bot.store import Store
from bot.store.ticket_relays import RelayDraft
from bot.store.tickets import Ticket

# The staff commands (handlers/handover.py); buttons on staff notifications run them.
CLAIM = "ambil"
CLOSE = "tutup"
REPLY = "balas"
CONTEXT_CHARS = 200  # each earlier question on a card (the card stays one short message)


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Opening hours in local time on ISO weekdays (1 = Monday)."""

    opens: time
    closes: time
    days: frozenset[int]

    @classmethod
    def parse(cls, hours: str, days: str) -> OfficeHours:
        """`"08:00-16:00"`, `"1-5"` or `"1-5,6"`; raises ValueError on nonsense."""
        start, _, end = hours.partition("-")
        opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        if closes <= opens:
            raise ValueError(f"office hours close before they open: {hours!r}")
        weekdays: set[int] = set()
        for part in days.split(","):
            first, _, last = part.strip().partition("-")
            low, high = int(first), int(last or first)
            if not 1 <= low <= high <= 7:
                raise ValueError(f"office days must be ISO weekdays 1-7: {days!r}")
            weekdays.update(range(low, high + 1))
        return cls(opens=opens, closes=closes, days=frozenset(weekdays))

    @classmethod
    def of(cls, settings: Settings) -> OfficeHours:
        return cls.parse(settings.office_hours, settings.office_days)

    def is_open(self, now: datetime) -> bool:
        """`now` in the office's local time."""
        return now.isoweekday() in self.days and self.opens <= now.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The next moment the office opens, strictly after `now` unless open now."""
        if self.is_open(now):
            return now
        for offset in range(8):
            day = (now + timedelta(days=offset)).date()
            if day.isoweekday() not in self.days:
                continue
            opening = datetime.combine(day, self.opens, tzinfo=now.tzinfo)
            if opening > now:
                return opening
        raise ValueError("no office day configured")  # unreachable: parse needs one day


def staff_addresses(settings: Settings) -> list[tuple[str, str]]:
    """(channel, chat id) of the staff chat and of each staff member's own chat, once each."""
    found: list[tuple[str, str]] = []
    for address in (settings.staff_chat, *settings.staff_direct):
        if not address:
            continue
        channel, _, chat_id = address.partition(":")
        if channel in CHANNELS and chat_id and (channel, chat_id) not in found:
            found.append((channel, chat_id))
    return found


def ticket_card(ticket: Ticket, context: Sequence[str], t: Translator) -> str:
    """The staff notification of a new ticket: one short message."""
    lines = [
        t(
            "handover.staff.new",
            id=ticket.id,
            channel=ticket.channel,
            language=ticket.locale,
            region=ticket.region_code or "-",
        ),
        ticket.question,
    ]
    if context:
        lines += ["", t("handover.staff.context"), *(f"• {_short(line)}" for line in context)]
    lines += ["", t("handover.staff.how", id=ticket.id)]
    return "\n".join(lines)


def _short(text: str, limit: int = CONTEXT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def staff_drafts(
    settings: Settings, text: str, buttons: tuple[tuple[str, str], ...] = ()
) -> list[RelayDraft]:
    return [
        RelayDraft(kind="notify", channel=channel, chat_id=chat_id, text=text, buttons=buttons)
        for channel, chat_id in staff_addresses(settings)
    ]


def card_buttons(ticket_id: int, t: Translator) -> tuple[tuple[str, str], ...]:
    return (
        (t("handover.button.claim"), f"/{CLAIM} {ticket_id}"),
        (t("handover.button.close"), f"/{CLOSE} {ticket_id}"),
    )


async def follow_up(
    store: Store, settings: Settings, staff_t: Translator, user_id: int, text: str
) -> Ticket | None:
    """Add a user's message to their open ticket (reopening one answered within the reopen
    period) and tell staff; None when the user has no such ticket. A read first, so people
    without a ticket cost no write."""
    if not text or not staff_addresses(settings):
        return None  # no handover configured: no ticket to add to, and no read per message
    reopen = timedelta(days=settings.handover_reopen_days)
    ticket_id = await store.tickets.active_id(user_id, reopen)
    if ticket_id is None:
        return None
    note = staff_t("handover.staff.follow_up", id=ticket_id, text=text)
    return await store.tickets.follow_up(
        user_id, text, reopen_within=reopen, notify=staff_drafts(settings, note)
    )
