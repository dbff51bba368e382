"""Dashboard pages over real HTTP: the FAQ loop, the failures CSV, import refusals, language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bot.domain.intents import Intent
from bot.store.broadcasts import Audience, DeliveryResult
from tests.bot.web.conftest import Served, csrf_of


async def test_an_faq_added_here_answers_a_paraphrase_in_the_bot(served: Served) -> None:
    store = served.app.store
    # what the FAQ is for: a question the bot cannot answer (an FAQ replaces the fallback)
    before = served.app.dispatcher.understander.understand("boleh bawa kucing waktu antre")
    assert before.intent is Intent.FALLBACK
    await store.questions.log(
        user_id=served.worker.id,
        channel="whatsapp",
        text="bolehkah membawa hewan peliharaan saat mengantre di kantor cabang",
        intent="fallback",
        score=0.1,
        answered=False,
    )
    async with served.client(served.staff) as client:
        page = await client.get("/dasbor/pertanyaan")
        assert "bolehkah membawa hewan peliharaan saat mengantre di kantor cabang" in page.text
        csrf = csrf_of(page.text)
        saved = await client.post(
            "/dasbor/pertanyaan/jawab",
            data={
                "csrf": csrf,
                "question": "bolehkah membawa hewan peliharaan saat mengantre di kantor cabang",
                "answer_id": "Hewan peliharaan tidak boleh dibawa masuk.",
                "source": "Pengumuman kantor cabang 2026",
                "examples": "boleh bawa kucing waktu antre?\nhewan peliharaan boleh dibawa?",
            },
        )
        assert saved.status_code == 200 and 'id="saved"' in saved.text
        tried = await client.post(
            "/dasbor/pertanyaan/uji",
            data={"csrf": csrf, "text": "boleh bawa kucing waktu antre"},
        )
    assert "Hewan peliharaan tidak boleh dibawa masuk." in tried.text
    assert "Dipahami sebagai: faq" in tried.text
    assert "Sumber: Pengumuman kantor cabang 2026" in tried.text
    [faq] = await store.faqs.active()
    assert faq.source == "Pengumuman kantor cabang 2026" and len(faq.examples) == 3
    entries = await store.audit.recent(10, action_prefix="dashboard.faq")
    assert entries[0].actor == "telegram:900002"


async def test_the_failures_csv_lists_undelivered_recipients_masked(served: Served) -> None:
    store = served.app.store
    await store.people.subscribe(served.worker.id)
    broadcast = await store.broadcasts.create(
        created_by="test",
        text_id="Halo",
        text_en=None,
        audience=Audience(),
        send_at=None,
        recipients=1,
    )
    now = datetime.now(UTC)
    await store.broadcasts.confirm(broadcast.id, "test", now)
    [item] = await store.outbox.claim("whatsapp", 10, now)
    await store.outbox.record(
        [DeliveryResult(item_id=item.id, state="failed", error="131026 undeliverable")]
    )
    async with served.client(served.staff) as client:
        report = await client.get(f"/dasbor/pengumuman/{broadcast.id}")
        assert "131026 undeliverable" in report.text
        response = await client.get(f"/dasbor/pengumuman/{broadcast.id}/gagal.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["kanal", "penerima", "status", "percobaan", "alasan"]
    assert rows[1][0] == "whatsapp" and rows[1][2] == "failed"
    assert rows[1][4] == "131026 undeliverable"
    assert "6281234567890" not in response.text and rows[1][1].startswith("6281")


async def test_imports_refuse_other_file_types_and_stale_confirmations(served: Served) -> None:
    async with served.client(served.staff) as client:
        csrf = csrf_of((await client.get("/dasbor/impor")).text)
        wrong = await client.post(
            "/dasbor/impor",
            data={"csrf": csrf, "kind": "targets"},
            files={"file": ("data.txt", b"kode_desa\n", "text/plain")},
        )
        assert wrong.status_code == 422 and 'id="import-error"' in wrong.text
        stale = await client.post(
            "/dasbor/impor/konfirmasi",
            data={"csrf": csrf, "kind": "targets", "upload": "../../jamsosbot.sqlite3"},
        )
        assert stale.status_code == 410
    assert await served.app.store.targets.count() == 0


async def test_the_language_switch_shows_english(served: Served) -> None:
    async with served.client(served.staff) as client:
        page = await client.get("/dasbor/fakta")
        assert "Semua fakta" in page.text
        switched = await client.post(
            "/dasbor/bahasa",
            data={"csrf": csrf_of(page.text), "locale": "en", "back": "/dasbor/fakta"},
        )
        assert switched.status_code == 303 and switched.headers["location"] == "/dasbor/fakta"
        english = await client.get("/dasbor/fakta")
        assert "All facts" in english.text and '<html lang="en">' in english.text
        away = await client.post(
            "/dasbor/bahasa",
            data={"csrf": csrf_of(english.text), "locale": "id", "back": "https://evil.example"},
        )
        assert away.headers["location"] == "/dasbor/pertanyaan"  # no open redirect
