"""The retention purge deletes old logged questions only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.ops.housekeeping import purge_question_log
from bot.store import Store


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
