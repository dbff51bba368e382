"""The retention purge deletes old logged questions only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.ops.housekeeping import purge_question_log, purge_records
from bot.store import Store
from bot.store.whatsapp import inbound_key


async def test_questions_older_than_the_retention_are_deleted(store: Store) -> None:
    user = await store.people.touch("telegram", "7")
    for text in ("lama", "baru"):
        await store.questions.log(
            user_id=user.id,
            channel="telegram",
            text=text,
            intent="fallback",
            score=0,
            answered=False,
        )
    old = (datetime.now(UTC) - timedelta(days=200)).isoformat()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE questions SET created_at = ? WHERE text = 'lama'", (old,))
    assert await purge_question_log(store, 0) == 0  # 0 keeps everything
    assert await purge_question_log(store, 180) == 1
    assert [q.text for q in await store.questions.unanswered()] == ["baru"]


async def test_the_daily_purge_bounds_statuses_outbox_and_audit_log(store: Store) -> None:
    """whatsapp_outgoing and the outbox of finished announcements go after the retention,
    the audit log after its own (longer) one, handled WhatsApp ids after 30 days; recent rows
    and the outbox of a running announcement stay."""
    user = await store.people.touch("whatsapp", "628111")
    await store.whatsapp.record_outgoing(["old", "new"], user_id=user.id, kind="reply")
    await store.whatsapp.claim_inbound(["in-old", "in-new"])
    for action in ("old", "mid", "new"):
        await store.audit.record(actor="cli:test", action=action)
    days = {
        "old": (datetime.now(UTC) - timedelta(days=800)).isoformat(),
        "mid": (datetime.now(UTC) - timedelta(days=200)).isoformat(),
    }
    with sqlite3.connect(store.path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(
            "UPDATE whatsapp_outgoing SET created_at = ? WHERE wamid = 'old'", (days["mid"],)
        )
        db.execute(
            "UPDATE whatsapp_inbound SET received_at = ? WHERE wamid = ?",
            (days["mid"], inbound_key("in-old")),
        )
        for action in ("old", "mid"):
            db.execute(
                "UPDATE audit_log SET created_at = ? WHERE action = ?", (days[action], action)
            )
        for status, finished in (("done", days["mid"]), ("sending", None), ("done", None)):
            broadcast = db.execute(
                "INSERT INTO broadcasts (created_by, text_id, status, created_at, finished_at)"
                " VALUES ('cli:test', 'Info', ?, ?, ?)",
                (status, days["mid"], finished or datetime.now(UTC).isoformat()),
            ).lastrowid
            db.execute(
                "INSERT INTO outbox (broadcast_id, user_id, channel, chat_id, locale, state,"
                " updated_at) VALUES (?, ?, 'whatsapp', '628111', 'id', 'sent', ?)",
                (broadcast, user.id, days["mid"]),
            )

    assert (
        await purge_records(store, 0, 0) == 1
    )  # 0 keeps all; message ids always go after 30 days
    removed = await purge_records(store, 180, 730)

    assert removed == 3  # one status, one finished outbox row, one audit entry
    with sqlite3.connect(store.path) as db:
        outgoing = [row[0] for row in db.execute("SELECT wamid FROM whatsapp_outgoing")]
        outbox = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        inbound = [row[0] for row in db.execute("SELECT wamid FROM whatsapp_inbound")]
    assert outgoing == ["new"] and outbox == 2 and inbound == [inbound_key("in-new")]
    assert sorted(e.action for e in await store.audit.recent()) == ["mid", "new"]


async def test_long_button_payloads_go_when_no_recent_button_carries_them(store: Store) -> None:
    """A payload sent on a button within BUTTON_MEMORY stays, even if first stored long ago
    (each use renews it); one not sent since then goes, and its old button reads as stale."""
    reused, forgotten = "x" * 80 + "reused", "y" * 80 + "forgotten"
    reused_key = await store.telegram.store_callback(reused)
    forgotten_key = await store.telegram.store_callback(forgotten)
    long_ago = (datetime.now(UTC) - timedelta(days=200)).isoformat()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE telegram_callbacks SET created_at = ?", (long_ago,))
    assert await store.telegram.store_callback(reused) == reused_key  # sent again today

    assert await purge_records(store, 0, 0) == 1  # only the forgotten payload

    assert await store.telegram.callback_payload(reused_key) == reused
    assert await store.telegram.callback_payload(forgotten_key) is None
