"""Asking for a person: the "Ask staff" button any handler may append, and the sentence that
tells the user what happens next (who answers, when, and what never to send)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.context import HandlerContext
from bot.core.handover import OfficeHours, staff_addresses
from bot.domain.intents import Intent
from bot.domain.messages import Button
from bot.domain.understanding import Slots

CANCEL = "cancel"  # `option` of the human_agent button that cancels one's ticket


def handover_enabled(ctx: HandlerContext) -> bool:
    """Whether this bot hands over at all (a staff chat or a staff member is configured)."""
    return bool(staff_addresses(ctx.settings))


def ask_staff_button(ctx: HandlerContext) -> Button:
    """ "Tanya petugas": opens a ticket (handlers/handover.py). Append it to answers about a
    person's own case (claim status, own data, account) and to the fallback, when
    `handover_enabled(ctx)`."""
    return ctx.button(Intent.HUMAN_AGENT, label=ctx.t("handover.button.ask"))


def cancel_button(ctx: HandlerContext) -> Button:
    return ctx.button(
        Intent.HUMAN_AGENT, Slots(option=CANCEL), label=ctx.t("handover.button.cancel")
    )


def with_ask_staff(ctx: HandlerContext, buttons: tuple[Button, ...]) -> tuple[Button, ...]:
    """`buttons` with "Tanya petugas" first when handover is on; at most ten in all (a
    WhatsApp list holds ten rows)."""
    if not handover_enabled(ctx):
        return buttons
    return (ask_staff_button(ctx), *buttons[:9])


def when_text(ctx: HandlerContext, now: datetime | None = None) -> str:
    """ "Petugas membalas pada jam kerja (…)", or, outside office hours, "dibalas pada jam
    kerja berikutnya, <day> <time>"."""
    hours = OfficeHours.of(ctx.settings)
    local = (now or datetime.now(ZoneInfo(ctx.settings.timezone))).astimezone(
        ZoneInfo(ctx.settings.timezone)
    )
    span = f"{hours.opens:%H.%M}–{hours.closes:%H.%M}"
    if hours.is_open(local):
        return ctx.t("handover.when_open", hours=span)
    opening = hours.next_opening(local)
    return ctx.t(
        "handover.when_closed",
        day=ctx.fmt.date(opening.date()),
        time=f"{hours.opens:%H.%M}",
    )
