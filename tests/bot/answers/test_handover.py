"""What the user is told about when staff answer: in office hours, or the next opening."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.answers.handover import ask_staff_button, when_text, with_ask_staff
from bot.config import Settings
from bot.core.context import HandlerContext
from bot.core.i18n import Catalogues
from bot.domain.intents import Intent
from bot.store import Store
from tests.conftest import worker_context

WIB = ZoneInfo("Asia/Jakarta")


async def _ctx(store: Store, locale: str, settings: Settings) -> HandlerContext:
    user = await store.people.touch("console", "u1")
    t = Catalogues.load().translator(locale)
    base = worker_context(store, user, t, Intent.HUMAN_AGENT)
    fields = {name: getattr(base, name) for name in HandlerContext.__dataclass_fields__}
    return HandlerContext(**(fields | {"settings": settings}))


async def test_inside_and_outside_office_hours(store: Store) -> None:
    settings = Settings(staff_chat="telegram:-1", office_hours="08:00-16:00", office_days="1-5")
    ctx = await _ctx(store, "id", settings)
    monday_morning = datetime(2026, 12, 7, 9, 30, tzinfo=WIB)
    assert "jam kerja (08.00–16.00 WIB)" in when_text(ctx, monday_morning)
    friday_night = datetime(2026, 12, 11, 20, 0, tzinfo=WIB)
    text = when_text(ctx, friday_night)
    assert "dibalas pada jam kerja berikutnya" in text
    assert "14 Des 2026" in text or "14 Desember 2026" in text, text
    english = await _ctx(store, "en", settings)
    assert "next office hours" in when_text(english, friday_night)


async def test_the_button_only_when_staff_are_configured(store: Store) -> None:
    on = await _ctx(store, "id", Settings(staff_chat="telegram:-1"))
    menu = on.menu_buttons()
    buttons = with_ask_staff(on, menu)
    assert buttons[0] == ask_staff_button(on) and buttons[0].title == "Tanya petugas"
    assert buttons[0].payload == "human_agent" and len(buttons) == 10
    off = await _ctx(store, "en", Settings())
    assert with_ask_staff(off, menu) == menu
    assert ask_staff_button(off).title == "Ask staff"
