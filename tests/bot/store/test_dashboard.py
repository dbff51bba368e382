"""Dashboard links and sessions in the store: digests only, once, expiry, idle, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.dashboard import LinkRefusal, digest

IDLE = timedelta(minutes=30)


async def test_a_link_opens_once_and_only_before_it_expires(store: Store) -> None:
    user = await store.people.touch("telegram", "1")
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    token = await store.dashboard.issue_link(
        user.id, issued_by="t", ttl=timedelta(minutes=10), now=now
    )
    late = await store.dashboard.issue_link(
        user.id, issued_by="t", ttl=timedelta(minutes=10), now=now
    )
    assert await store.dashboard.redeem_link(token, now + timedelta(minutes=9)) == user.id
    assert await store.dashboard.redeem_link(token, now) is LinkRefusal.USED
    assert (
        await store.dashboard.redeem_link(late, now + timedelta(minutes=10)) is LinkRefusal.EXPIRED
    )
    assert await store.dashboard.redeem_link("nope") is LinkRefusal.UNKNOWN


async def test_only_digests_are_stored(store: Store) -> None:
    user = await store.people.touch("telegram", "2")
    token = await store.dashboard.issue_link(user.id, issued_by="t", ttl=timedelta(minutes=10))
    session_id, _ = await store.dashboard.open_session(user.id)
    db = store.database
    links = [row[0] for row in await db.fetch_all("SELECT token_hash FROM dashboard_links")]
    sessions = [
        row[0] for row in await db.fetch_all("SELECT session_hash FROM dashboard_sessions")
    ]
    assert links == [digest(token)] and token not in links
    assert sessions == [digest(session_id)]


async def test_sessions_end_on_logout_idle_or_revocation(store: Store) -> None:
    user = await store.people.touch("telegram", "3")
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    first, csrf = await store.dashboard.open_session(user.id, now)
    live = await store.dashboard.session(first, idle=IDLE, now=now + timedelta(minutes=29))
    assert live is not None and live.csrf == csrf and live.address == "telegram:3"
    # the idle clock restarted at minute 29
    assert await store.dashboard.session(first, idle=IDLE, now=now + timedelta(minutes=58))
    assert await store.dashboard.session(first, idle=IDLE, now=now + timedelta(minutes=89)) is None
    second, _ = await store.dashboard.open_session(user.id, now)
    assert await store.dashboard.end_session(second, now)
    assert await store.dashboard.session(second, idle=IDLE, now=now) is None
    third, _ = await store.dashboard.open_session(user.id, now)
    assert await store.dashboard.end_sessions_of(user.id, now) == 1
    assert await store.dashboard.session(third, idle=IDLE, now=now) is None


async def test_the_signing_secret_is_made_once(store: Store) -> None:
    assert await store.dashboard.secret() == await store.dashboard.secret()
    assert len(await store.dashboard.secret()) >= 32
