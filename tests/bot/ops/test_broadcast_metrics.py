"""Broadcast progress on /metrics is read from the announcements outbox (finished broadcasts
here, which the outbox worker running with the server leaves alone)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import httpx

from bot.app import App
from bot.web import create_web_app
from tests.bot.ops.test_routes import QuietChannel
from tests.fakes.telegram_api import serve_asgi


def _insert_broadcast(path: str, user_id: int, states: list[str], status: str) -> None:
    now = datetime.now(UTC).isoformat()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        broadcast = db.execute(
            "INSERT INTO broadcasts (created_by, text_id, status, created_at)"
            " VALUES ('cli:test', 'Info', ?, ?)",
            (status, now),
        ).lastrowid
        for index, state in enumerate(states):
            uid = db.execute(
                "INSERT INTO users (channel, external_id, created_at, last_seen_at)"
                " VALUES ('telegram', ?, ?, ?)",
                (f"{user_id}-{broadcast}-{index}", now, now),
            ).lastrowid
            db.execute(
                "INSERT INTO outbox (broadcast_id, user_id, channel, chat_id, locale, state,"
                " updated_at) VALUES (?, ?, 'telegram', '1', 'id', ?, ?)",
                (broadcast, uid, state, now),
            )


async def test_outbox_states_of_recent_broadcasts_are_exposed(app: App) -> None:
    path = str(app.store.path)
    _insert_broadcast(path, 1, ["sent"], "done")
    _insert_broadcast(path, 2, ["sent", "sent", "blocked", "failed"], "done")
    async with (
        serve_asgi(create_web_app(app, [QuietChannel()]), lifespan="on") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        body = (await client.get("/metrics")).text
    gauge = "jamsosbot_broadcast_recipients"
    assert gauge + '{broadcast="2",state="sent",status="done"} 2.0' in body
    assert gauge + '{broadcast="2",state="blocked",status="done"} 1.0' in body
    assert gauge + '{broadcast="2",state="failed",status="done"} 1.0' in body
    assert gauge + '{broadcast="1",state="sent",status="done"} 1.0' in body


async def test_only_the_latest_broadcasts_are_exposed(app: App) -> None:
    path = str(app.store.path)
    for index in range(7):
        _insert_broadcast(path, 10 + index, ["sent"], "done")
    progress = await app.store.statistics.broadcast_progress(recent=5)
    assert [row.broadcast_id for row in progress] == [3, 4, 5, 6, 7]
