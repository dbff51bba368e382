"""Staff-written texts per language (migration 0095): FAQ answers and announcement texts.

One row per (item, language): a language added with its catalogues (jv) gets its texts as
rows, never as a new column or a migration. Indonesian is the text every item has; a
language without its own text reads the Indonesian one (`LocalizedText.get`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.store.database import Database

SOURCE_LOCALE = "id"


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """One item's texts by language code."""

    texts: Mapping[str, str]

    def get(self, locale: str) -> str:
        """The text in `locale`, else Indonesian (else any, for a row written oddly)."""
        found = self.texts.get(locale) or self.texts.get(SOURCE_LOCALE)
        return found if found is not None else next(iter(self.texts.values()), "")

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(sorted(self.texts))


# (table, id column) of each kind of item; fixed names, never from input.
_KINDS = {"faq": ("faq_answers", "faq_id"), "broadcast": ("broadcast_texts", "broadcast_id")}


class TextRepository:
    def __init__(self, db: Database):
        self._db = db

    async def faq_answer(self, faq_id: int) -> LocalizedText:
        return await self._read("faq", faq_id)

    async def broadcast_text(self, broadcast_id: int) -> LocalizedText:
        return await self._read("broadcast", broadcast_id)

    async def set_faq_answer(self, faq_id: int, locale: str, text: str) -> None:
        await self._write("faq", faq_id, locale, text)

    async def set_broadcast_text(self, broadcast_id: int, locale: str, text: str) -> None:
        await self._write("broadcast", broadcast_id, locale, text)

    async def faq_answers(self) -> dict[int, LocalizedText]:
        """Every FAQ's answers (for loading the active FAQs in one query)."""
        rows = await self._db.fetch_all("SELECT faq_id, locale, text FROM faq_answers")
        by_faq: dict[int, dict[str, str]] = {}
        for row in rows:
            by_faq.setdefault(int(row["faq_id"]), {})[row["locale"]] = row["text"]
        return {faq_id: LocalizedText(texts) for faq_id, texts in by_faq.items()}

    async def _read(self, kind: str, item_id: int) -> LocalizedText:
        table, column = _KINDS[kind]
        rows = await self._db.fetch_all(
            f"SELECT locale, text FROM {table} WHERE {column} = ?",
            (item_id,),
        )
        return LocalizedText({row["locale"]: row["text"] for row in rows})

    async def _write(self, kind: str, item_id: int, locale: str, text: str) -> None:
        table, column = _KINDS[kind]
        text = text.strip()
        if not text:
            await self._db.execute(
                f"DELETE FROM {table} WHERE {column} = ? AND locale = ?",
                (item_id, locale),
            )
            return
        await self._db.execute(
            f"INSERT INTO {table} ({column}, locale, text) VALUES (?, ?, ?)"
            f" ON CONFLICT ({column}, locale) DO UPDATE SET text = excluded.text",
            (item_id, locale, text),
        )
