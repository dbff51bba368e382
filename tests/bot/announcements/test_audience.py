"""Audience selection: region prefix matching, village heads, language, scheduling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from bot.domain.roles import Role
from bot.store.broadcasts import Audience
from tests.bot.announcements.conftest import RecordingChannel, make_worker, subscriber


async def age_user(app: App, user_id: int, age: timedelta) -> None:
    """Pretend the user last wrote `age` ago (a test-only write through the store's database)."""
    moment = (datetime.now(UTC) - age).isoformat()
    await app.store._db.execute(
        "UPDATE users SET last_seen_at = ? WHERE id = ?", (moment, user_id)
    )


async def recipients(app: App, audience: Audience) -> set[str]:
    draft = await app.store.broadcasts.create(
        created_by="cli:test",
        text_id="x",
        text_en=None,
        audience=audience,
        send_at=None,
        recipients=0,
    )
    await app.store.broadcasts.confirm(draft.id, "cli:test", datetime.now(UTC))
    channel = RecordingChannel("telegram")
    worker = make_worker(app, channel)
    await worker.start()
    await worker.drain()
    await worker.stop()
    return set(channel.chats())


async def test_region_targeting_by_code_prefix(app: App) -> None:
    s = app.store
    await subscriber(s, "telegram", "ketapang", "61.04")
    await subscriber(s, "telegram", "ketapang-village", "61.04.16.2009")
    await subscriber(s, "telegram", "kalbar", "61")  # follows the whole province
    await subscriber(s, "telegram", "pontianak", "61.71")
    await subscriber(s, "telegram", "prefix-trap", "61.041")  # not inside 61.04
    await subscriber(s, "telegram", "home-ketapang", home="61.04.16")  # all news, lives there
    await subscriber(s, "telegram", "home-unknown")  # all news, region unknown
    await subscriber(s, "telegram", "jakarta", "31")

    assert await recipients(app, Audience(region_code="61.04")) == {
        "ketapang",
        "ketapang-village",
        "kalbar",
        "home-ketapang",
    }
    count = await s.broadcasts.count_audience(Audience(region_code="61"), datetime.now(UTC))
    assert count.per_channel == {"telegram": 6}
    everyone = await s.broadcasts.count_audience(Audience(), datetime.now(UTC))
    assert everyone.total == 8


async def test_village_heads_and_language_filters(app: App) -> None:
    s = app.store
    head = await subscriber(s, "telegram", "head", "61.04.16.2009")
    await subscriber(s, "telegram", "worker", "61.04.16.2009")
    english = await subscriber(s, "telegram", "english", locale="en")
    await s.roles.grant(head.id, Role.VILLAGE_HEAD, granted_by="cli:test")
    assert await recipients(app, Audience(village_heads=True, region_code="61.04")) == {"head"}
    assert await recipients(app, Audience(language="en")) == {"english"}
    assert english.id


async def test_whatsapp_outside_window_is_counted_for_the_preview(app: App) -> None:
    old = await subscriber(app.store, "whatsapp", "old")
    await subscriber(app.store, "whatsapp", "new")
    await age_user(app, old.id, timedelta(hours=30))
    count = await app.store.broadcasts.count_audience(Audience(), datetime.now(UTC))
    assert count.per_channel == {"whatsapp": 2}
    assert count.whatsapp_outside_window == 1


async def test_scheduled_broadcast_waits_for_its_time(app: App) -> None:
    await subscriber(app.store, "telegram", "t1")
    now = datetime.now(UTC)
    draft = await app.store.broadcasts.create(
        created_by="cli:test",
        text_id="nanti",
        text_en=None,
        audience=Audience(),
        send_at=now + timedelta(hours=2),
        recipients=1,
    )
    scheduled = await app.store.broadcasts.confirm(draft.id, "cli:test", now)
    assert scheduled is not None and scheduled.status == "scheduled"
    assert await app.store.broadcasts.start_due(now + timedelta(hours=1)) == []
    assert await app.store.broadcasts.start_due(now + timedelta(hours=2)) == [draft.id]
    report = await app.store.broadcasts.report(draft.id)
    assert report is not None and report.states == {"pending": 1}
