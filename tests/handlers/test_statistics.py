"""`/statistik` for staff: counts, fallback rate, grouped unanswered questions, subscribers."""

from __future__ import annotations

from bot.app import App
from bot.domain.roles import Role
from tests.conftest import Chat


async def _staff(app: App) -> Chat:
    staff = Chat(app, user_id="staff")
    await staff.say("halo")
    user = await app.store.people.find("console", "staff")
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    return staff


async def test_staff_see_the_report(app: App, chat: Chat) -> None:
    for text in ("cuaca besok gimana", "Cuaca besok gimana?", "harga cabai", "halo"):
        await chat.say(text)
    user = await app.store.people.find("console", "u1")
    assert user is not None
    await app.store.people.set_region(user.id, "61.04.01")
    await app.store.people.subscribe(user.id, "61.04")
    staff = await _staff(app)
    await staff.say("/statistik 7")
    first, second = staff.last
    assert "Pertanyaan: 5, tidak terjawab: 3" in first.text  # 4 + the staff member's "halo"
    assert "(60 %)" in first.text  # the fallback rate
    assert "• fallback: 3" in first.text and "• greeting: 2" in first.text
    assert "Kabupaten Ketapang (61.04): 4" in first.text
    assert "• 2× cuaca besok gimana" in second.text.lower()
    assert "• 1× harga cabai" in second.text
    assert "Kabupaten Ketapang (61.04): 1" in second.text
    assert "/faq tambah" in second.text


async def test_bad_period_gets_the_usage(app: App) -> None:
    staff = await _staff(app)
    await staff.say("/statistik minggu")
    assert "Pakai: /statistik" in staff.text


async def test_workers_get_no_statistics(app: App, chat: Chat) -> None:
    await chat.say("/statistik")
    assert "tidak terjawab" not in chat.text
