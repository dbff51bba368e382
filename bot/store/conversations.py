"""Short conversation memory: the last intent and slots, for follow-up questions."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.database import Database, Row, SyncWriter
from bot.store.models import ConversationState

_LOAD = "SELECT intent, slots, updated_at FROM conversation_state WHERE user_id = ?"


def _state(row: Row | None) -> ConversationState | None:
    if row is None:
        return None
    return ConversationState(
        intent=row["intent"],
        slots=row["slots"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def read_state(tx: SyncWriter, user_id: int) -> ConversationState | None:
    """The remembered conversation, inside a write job (`Store.arrive`)."""
    return _state(tx.fetch_one(_LOAD, (user_id,)))


class ConversationRepository:
    def __init__(self, db: Database):
        self._db = db

    async def load(self, user_id: int) -> ConversationState | None:
        return _state(await self._db.fetch_one(_LOAD, (user_id,)))

    async def save(self, user_id: int, intent: str, slots: str) -> None:
        await self._db.execute(
            "INSERT INTO conversation_state (user_id, intent, slots, updated_at)"
            " VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET intent = excluded.intent,"
            " slots = excluded.slots, updated_at = excluded.updated_at",
            (user_id, intent, slots, datetime.now(UTC).isoformat()),
        )
