"""`jamsosbot broadcast ...` and `jamsosbot roles ...` from the shell, on a real database."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import broadcast as broadcast_command
from bot.config import Settings
from bot.store import Store
from bot.store.audit import AuditEntry
from bot.store.broadcasts import BroadcastReport
from tests.conftest import copy_seeded
from tests.fakes.graph_api import FakeGraphApi


@pytest.fixture
def database(settings: Settings, seeded_database: Path) -> Settings:
    copy_seeded(seeded_database, settings.database_path)

    async def people() -> None:
        store = await Store.open(settings.database_path)
        try:
            for channel, user_id, region in (
                ("telegram", "111", "61.04"),
                ("whatsapp", "6281", "61.04.16.2009"),
                ("telegram", "222", "31"),
            ):
                user = await store.people.touch(channel, user_id)
                await store.people.subscribe(user.id, region)
        finally:
            await store.close()

    asyncio.run(people())
    return settings


async def _read(settings: Settings) -> tuple[BroadcastReport | None, list[AuditEntry]]:
    store = await Store.open(settings.database_path)
    try:
        return await store.broadcasts.report(1), await store.audit.recent()
    finally:
        await store.close()


def test_create_preview_confirm_report(
    database: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["broadcast", "create", "--text", "Pendaftaran dibuka", "--region", "61.04"]) == 0
    out = capsys.readouterr().out
    assert "📢 Pendaftaran dibuka" in out
    assert "pengumuman 1 (draf) untuk Kabupaten Ketapang (61.04)" in out
    assert "penerima: 2 (telegram 1, whatsapp 1)" in out
    assert "konfirmasi dengan: jamsosbot broadcast confirm 1" in out

    assert main(["broadcast", "confirm", "1"]) == 0
    assert "pengumuman 1: sending" in capsys.readouterr().out
    assert main(["broadcast", "confirm", "1"]) == 1  # never twice

    assert main(["broadcast", "report", "1"]) == 0
    out = capsys.readouterr().out
    assert "pengumuman 1: sending, 2 penerima" in out and "pending    2" in out

    assert main(["broadcast", "cancel", "1"]) == 0
    assert "2 pesan tidak akan dikirim" in capsys.readouterr().out
    report, audit = asyncio.run(_read(database))
    assert report is not None and report.states == {"cancelled": 2}
    assert [(e.action, e.recipients) for e in reversed(audit)] == [
        ("broadcast.draft", 2),
        ("broadcast.confirm", 2),
        ("broadcast.cancel", 2),
    ]
    assert all(e.actor.startswith("cli:") for e in audit)
    assert main(["broadcast", "audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[2] for line in lines] == [
        "broadcast.draft",
        "broadcast.confirm",
        "broadcast.cancel",
    ]
    assert "broadcast:1  recipients=2" in lines[0]


def test_preflight_refusal_from_a_file(
    database: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "long.txt"
    text.write_text("Pengumuman. " * 400, encoding="utf-8")  # 4,800 characters
    assert main(["broadcast", "create", "--text-file", str(text), "--yes"]) == 2
    out = capsys.readouterr().out
    assert "ditolak, tidak ada yang dikirim" in out and "terlalu panjang untuk Telegram" in out
    report, audit = asyncio.run(_read(database))
    assert report is None
    assert [e.action for e in audit] == ["broadcast.refused"]


def test_bad_options_are_refused(database: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "create", "--text", "x", "--region", "ketapang"]) == 2
    assert "tidak sah" in capsys.readouterr().out
    assert main(["broadcast", "create", "--text", "x", "--at", "2001-01-01T08:00"]) == 2
    assert "sudah lewat" in capsys.readouterr().out


def test_roles_grant_list_revoke(database: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roles", "grant", "telegram:999"]) == 1
    assert "belum pernah menulis" in capsys.readouterr().out
    assert main(["roles", "grant", "telegram:111"]) == 0
    assert main(["roles", "list"]) == 0
    assert "telegram:111  staff  oleh cli:" in capsys.readouterr().out
    assert main(["roles", "revoke", "telegram:111"]) == 0
    assert main(["roles", "revoke", "telegram:111"]) == 1
    _, audit = asyncio.run(_read(database))
    assert [(e.action, e.subject) for e in reversed(audit)] == [
        ("role.grant", "telegram:111"),
        ("role.revoke", "telegram:111"),
    ]


def test_send_refuses_while_another_sender_holds_the_lease(
    database: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as unused:  # nothing may be sent: no server listens there
        unused.bind(("127.0.0.1", 0))
        monkeypatch.setenv(
            "JAMSOS_WHATSAPP_API_URL", f"http://127.0.0.1:{unused.getsockname()[1]}"
        )
    monkeypatch.setenv("JAMSOS_WHATSAPP_TOKEN", "EAAG-test")
    monkeypatch.setenv("JAMSOS_WHATSAPP_PHONE_ID", "1122334455667")
    assert main(["broadcast", "create", "--text", "Info", "--region", "61.04", "--yes"]) == 0

    async def serving() -> None:  # e.g. `jamsosbot serve` on another host
        store = await Store.open(database.database_path)
        try:
            now = datetime.now(UTC)
            await store.outbox.take_sender_lease("bot-host:99:a", timedelta(minutes=1), now)
            assert len(await store.outbox.claim("whatsapp", 1, now)) == 1
        finally:
            await store.close()

    asyncio.run(serving())
    capsys.readouterr()

    assert main(["broadcast", "send"]) == 1

    out = capsys.readouterr().out
    assert "tidak mengirim: announcements are being sent by bot-host:99:a" in out
    report, _ = asyncio.run(_read(database))
    assert report is not None and report.count("in_flight") == 1  # left to its sender


@pytest.fixture
def graph_api(capsys: pytest.CaptureFixture[str]) -> Iterator[FakeGraphApi]:
    """The fake Cloud API on its own event loop in a thread: `main()` runs its own loop.
    (Stopped before `capsys` closes the stderr its log lines go to.)"""
    fake = FakeGraphApi()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_send_drains_the_outbox_and_shows_progress_in_indonesian(
    database: Settings,
    graph_api: FakeGraphApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("JAMSOS_WHATSAPP_API_URL", graph_api.url)
    monkeypatch.setenv("JAMSOS_WHATSAPP_API_VERSION", graph_api.api_version)
    monkeypatch.setenv("JAMSOS_WHATSAPP_TOKEN", "EAAG-test")
    monkeypatch.setenv("JAMSOS_WHATSAPP_PHONE_ID", graph_api.phone_id)
    region = "61.04.16.2009"  # the WhatsApp subscriber; the Telegram one (61.04) is not served
    assert main(["broadcast", "create", "--text", "Info", "--region", region, "--yes"]) == 0
    capsys.readouterr()

    assert main(["broadcast", "send"]) == 0

    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "pengumuman 1: terkirim 0, gagal 0, tersisa 1",  # before the first send
        "pengumuman 1: terkirim 1, gagal 0, tersisa 0",  # after the outbox drained
    ]
    assert captured.out.splitlines()[-1] == "tidak ada lagi yang perlu dikirim"
    assert [m["to"] for m in graph_api.messages] == ["6281"]
    report, _ = asyncio.run(_read(database))
    assert report is not None and report.per_channel == {
        "whatsapp": {"sent": 1},
        "telegram": {"pending": 1},  # left for a sender that has Telegram
    }


def test_send_prints_progress_every_few_seconds_in_english(
    database: Settings,
    graph_api: FakeGraphApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("JAMSOS_WHATSAPP_API_URL", graph_api.url)
    monkeypatch.setenv("JAMSOS_WHATSAPP_API_VERSION", graph_api.api_version)
    monkeypatch.setenv("JAMSOS_WHATSAPP_TOKEN", "EAAG-test")
    monkeypatch.setenv("JAMSOS_WHATSAPP_PHONE_ID", graph_api.phone_id)
    monkeypatch.setattr(broadcast_command, "PROGRESS_SECONDS", 0.05)
    graph_api.fail_next(131026)  # undeliverable: counted as failed, not left
    region = "61.04.16.2009"
    assert main(["broadcast", "create", "--text", "Info", "--region", region, "--yes"]) == 0
    capsys.readouterr()

    assert main(["broadcast", "send"]) == 0

    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == "broadcast 1: sent 0, failed 0, left 1"
    assert lines[-1] == "broadcast 1: sent 0, failed 1, left 0"
    assert captured.out.splitlines()[-1] == "nothing left to send"
