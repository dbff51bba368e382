"""Texts per language in rows (migration 0095): a new language needs no column, no migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import Store
from bot.store.sqlite import _sha256_hex, read_migrations
from bot.store.texts import LocalizedText


def _database_at_version_60(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.create_function("sha256_hex", 1, _sha256_hex)
        for version, _, sql in read_migrations():
            if version <= 60:
                conn.executescript(sql)
        conn.execute("PRAGMA user_version = 60")
        conn.execute(
            "INSERT INTO faqs (id, question, answer_id, answer_en, source, created_at)"
            " VALUES (1, 'q', 'Jawaban', 'Answer', 'Panduan', '2026-01-01T00:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO broadcasts (id, created_by, text_id, text_en, status, created_at)"
            " VALUES (7, 'cli:x', 'Pengumuman', NULL, 'draft', '2026-01-01T00:00:00+00:00')"
        )


async def test_the_migration_copies_existing_texts_into_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_version_60(path)
    store = await Store.open(path, seed=False)
    try:
        assert (await store.texts.faq_answer(1)).texts == {"id": "Jawaban", "en": "Answer"}
        assert (await store.texts.broadcast_text(7)).texts == {"id": "Pengumuman"}
    finally:
        await store.close()


async def test_texts_written_the_old_way_reach_the_rows(store: Store) -> None:
    faq_id = await store.faqs.add(
        question="Kartu hilang?", answer_id="Pakai kartu digital.", source="JMO", examples=[]
    )
    assert (await store.texts.faq_answer(faq_id)).texts == {"id": "Pakai kartu digital."}


async def test_a_javanese_answer_is_a_row(store: Store) -> None:
    faq_id = await store.faqs.add(
        question="Kartu hilang?",
        answer_id="Pakai kartu digital di JMO.",
        answer_en="Use the digital card in JMO.",
        source="JMO",
        examples=["kartu ilang"],
        translations={"jv": "Ngagem kertu digital ing JMO."},
    )
    (faq,) = await store.faqs.active()
    assert faq.id == faq_id
    assert faq.answer("jv") == "Ngagem kertu digital ing JMO."
    assert faq.answer("en") == "Use the digital card in JMO."
    assert faq.answer("xx") == "Pakai kartu digital di JMO."  # Indonesian for the rest


async def test_announcement_texts_per_language(store: Store) -> None:
    async with store._db.transaction() as tx:  # a broadcast as the announcements write it
        await tx.execute(
            "INSERT INTO broadcasts (id, created_by, text_id, text_en, status, created_at)"
            " VALUES (3, 'cli:x', 'Libur kantor', 'Office closed', 'draft', '2026-01-01')"
        )
    await store.texts.set_broadcast_text(3, "jv", "Kantor prei")
    text = await store.texts.broadcast_text(3)
    assert text.get("jv") == "Kantor prei" and text.get("en") == "Office closed"
    assert text.locales == ("en", "id", "jv")
    await store.texts.set_broadcast_text(3, "jv", "  ")  # an empty text removes it
    assert (await store.texts.broadcast_text(3)).get("jv") == "Libur kantor"


def test_a_missing_language_reads_indonesian() -> None:
    text = LocalizedText({"id": "Halo", "en": "Hello"})
    assert text.get("jv") == "Halo" and text.get("en") == "Hello"
    assert LocalizedText({}).get("id") == ""
