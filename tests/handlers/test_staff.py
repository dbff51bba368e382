"""Staff chat flows: role checks through every phrasing, compose → preview → send → report,
preflight refusal, cancel, scheduling, granting roles, and the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Settings
from bot.domain.messages import Attachment, Incoming
from bot.domain.roles import Role
from tests.bot.announcements.conftest import RecordingChannel, TemplateChannel, make_worker
from tests.conftest import Chat


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shared `app` fixture, with an admin and room for a too-long announcement."""
    return Settings(data_dir=tmp_path / "data", admins=("telegram:admin",), max_message_chars=6000)


@pytest.fixture
def staff_app(app: App) -> App:
    return app


async def make_staff(app: App, user_id: str) -> Chat:
    person = Chat(app, user_id=user_id, channel="telegram")
    await person.say("halo")
    user = await app.store.people.find("telegram", user_id)
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    return person


async def subscribe(app: App, channel: str, user_id: str, text: str = "langganan") -> None:
    person = Chat(app, user_id=user_id, channel=channel)
    await person.say(text)
    assert "berlangganan" in person.text


WORKER_PHRASINGS = (
    "/umumkan Pendaftaran pekerja rentan dibuka",
    "/UMUMKAN Pendaftaran pekerja rentan dibuka",
    "/umumkan@jamsosbot Pendaftaran dibuka",
    "umumkan Pendaftaran pekerja rentan dibuka",
    "tolong umumkan ke semua warga: pendaftaran dibuka",
    "/broadcast Registration is open",
    "/umumkan_kirim 1",
    "/umumkan_laporan 1",
    "/staf",
    "/staf_tambah telegram:worker",
    "/staff_add telegram:worker",
    "jadikan saya staf",
    "/statistik",
    "/faq tambah",
)


async def test_worker_cannot_reach_staff_actions_through_any_phrasing(staff_app: App) -> None:
    worker = Chat(staff_app, user_id="worker", channel="telegram")
    for text in WORKER_PHRASINGS:
        await worker.say(text)
        assert worker.last and all(reply.text for reply in worker.last), text
        assert "Pratinjau" not in worker.text and "Perintah staf" not in worker.text, text
    assert await staff_app.store.broadcasts.recent() == []
    assert await staff_app.store.audit.recent() == []
    user = await staff_app.store.people.find("telegram", "worker")
    assert user is not None and await staff_app.store.roles.role_of(user.id) is Role.WORKER


async def test_a_subscribed_worker_typing_staff_commands_stays_subscribed(staff_app: App) -> None:
    """The command's name is not the person's words: "batal" (cancel) must not unsubscribe."""
    await subscribe(staff_app, "telegram", "worker")
    worker = Chat(staff_app, user_id="worker", channel="telegram")
    for text in ("/umumkan_batal 5", "/umumkan_batal", "/UMUMKAN_BATAL@jamsosbot 5"):
        await worker.say(text)
        assert worker.last and all(reply.text for reply in worker.last), text
        assert "berhenti" not in worker.text.lower(), text
    user = await staff_app.store.people.find("telegram", "worker")
    assert user is not None and await staff_app.store.people.subscriptions(user.id)


async def test_worker_pressing_a_forged_send_button_changes_nothing(staff_app: App) -> None:
    staff = await make_staff(staff_app, "officer")
    await staff.say("/umumkan Kantor tutup hari Senin")
    draft = (await staff_app.store.broadcasts.recent())[0]
    worker = Chat(staff_app, user_id="worker", channel="telegram")
    replies = await staff_app.dispatcher.handle(
        Incoming(chat=worker.ref, payload=f"/umumkan_kirim {draft.id}")
    )
    assert "tidak berlaku" in replies[0].text
    still = await staff_app.store.broadcasts.get(draft.id)
    assert still is not None and still.status == "draft"


async def test_worker_cannot_import_by_sending_a_file(staff_app: App, tmp_path: Path) -> None:
    sheet = tmp_path / "targets.csv"
    sheet.write_text("village_code,year,target\n61.04.16.2009,2026,100\n", encoding="utf-8")
    worker = Chat(staff_app, user_id="worker", channel="telegram")
    replies = await staff_app.dispatcher.handle(
        Incoming(
            chat=worker.ref,
            text="impor target",
            attachment=Attachment(path=sheet, filename="targets.csv", mime_type="text/csv"),
        )
    )
    assert "ketik pertanyaan" in replies[0].text.lower()
    assert await staff_app.store.audit.recent() == []


async def test_only_admins_grant_and_revoke_staff_with_audit(staff_app: App) -> None:
    admin = Chat(staff_app, user_id="admin", channel="telegram")
    candidate = Chat(staff_app, user_id="555", channel="telegram")
    await candidate.say("halo")

    await admin.say("/staf_tambah telegram:999")
    assert "belum pernah menulis" in admin.text
    await admin.say("/staf_tambah telegram:555")
    assert admin.text == "telegram:555 sekarang staf."
    await candidate.say("/staf")
    assert "Perintah staf" in candidate.text

    # staff may announce, but not grant roles
    await candidate.say("/staf_tambah telegram:admin")
    assert "sekarang staf" not in candidate.text
    await admin.say("/staf_daftar")
    assert "telegram:555" in admin.text

    await admin.say("/staf_hapus telegram:555")
    assert admin.text == "telegram:555 bukan staf lagi."
    await candidate.say("/staf")
    assert "Perintah staf" not in candidate.text

    entries = await staff_app.store.audit.recent(action_prefix="role.")
    assert [(e.actor, e.action, e.subject, e.detail) for e in reversed(entries)] == [
        ("telegram:admin", "role.grant", "telegram:555", "staff"),
        ("telegram:admin", "role.revoke", "telegram:555", "staff"),
    ]


async def test_compose_preview_send_and_report(staff_app: App) -> None:
    await subscribe(staff_app, "telegram", "t-ketapang")
    await subscribe(staff_app, "whatsapp", "w-ketapang")
    await subscribe(staff_app, "telegram", "t-jakarta")
    for channel, user_id, region in (
        ("telegram", "t-ketapang", "61.04"),
        ("whatsapp", "w-ketapang", "61.04.16"),
        ("telegram", "t-jakarta", "31"),
    ):
        user = await staff_app.store.people.find(channel, user_id)
        assert user is not None
        await staff_app.store.people.unsubscribe(user.id)
        await staff_app.store.people.subscribe(user.id, region)

    staff = await make_staff(staff_app, "officer")
    await staff.say(
        "/umumkan wilayah:61.04 Pendaftaran pekerja rentan dibuka di kantor desa.\n"
        "EN: Registration for vulnerable workers is open at the village office."
    )
    assert staff.last[0].text.startswith("📢 Pendaftaran pekerja rentan dibuka")
    assert staff.last[1].text.startswith("📢 Registration for vulnerable workers")
    summary = staff.last[-1].text
    assert "Ketapang (61.04)" in summary
    assert "Penerima: 2 (Telegram 1, WhatsApp 1)" in summary
    assert "detik" in summary
    assert staff.button_titles == ["Kirim", "Batal"]

    await staff.press("Kirim")
    assert "sedang dikirim ke 2 penerima" in staff.text
    telegram, whatsapp = RecordingChannel("telegram"), TemplateChannel("whatsapp")
    worker = make_worker(staff_app, telegram, whatsapp)
    await worker.start()
    await worker.drain()
    await worker.stop()
    assert telegram.chats() == ["t-ketapang"] and whatsapp.chats() == ["w-ketapang"]

    await staff.press("Laporan")
    assert "(selesai)" in staff.text
    assert "Terkirim: 2" in staff.text and "Gagal: 0" in staff.text

    entries = await staff_app.store.audit.recent(action_prefix="broadcast.")
    assert [(e.action, e.actor, e.recipients) for e in reversed(entries)] == [
        ("broadcast.draft", "telegram:officer", 2),
        ("broadcast.confirm", "telegram:officer", 2),
        ("broadcast.done", "sender", 2),
    ]
    await staff.say("/umumkan_kirim 1")
    assert "sudah selesai" in staff.text  # never sent twice


async def test_preflight_refuses_too_long_message_before_any_send(staff_app: App) -> None:
    await subscribe(staff_app, "telegram", "t1")
    staff = await make_staff(staff_app, "officer")
    await staff.say("/umumkan " + "Pengumuman penting. " * 230)  # 4,600 characters
    assert "tidak bisa dikirim" in staff.text
    assert "terlalu panjang untuk Telegram" in staff.text
    assert "batas 4096" in staff.text
    assert await staff_app.store.broadcasts.recent() == []
    refused = await staff_app.store.audit.recent(action_prefix="broadcast.")
    assert [e.action for e in refused] == ["broadcast.refused"]


async def test_cancel_before_sending(staff_app: App) -> None:
    await subscribe(staff_app, "telegram", "t1")
    staff = await make_staff(staff_app, "officer")
    await staff.say("/umumkan JMO sedang gangguan")
    await staff.press("Batal")
    assert "dibatalkan" in staff.text
    await staff.say("/umumkan_kirim 1")
    assert "sudah dibatalkan" in staff.text
    report = await staff_app.store.broadcasts.report(1)
    assert report is not None and report.total == 0


async def test_schedule_in_region_time_zone(staff_app: App) -> None:
    staff = await make_staff(staff_app, "officer")
    await staff.say("/umumkan wilayah:64 kirim:2099-01-05T08:00 Sosialisasi JKK")
    assert "5 Januari 2099 pukul 08.00 WITA" in staff.text
    await staff.press("Kirim")
    assert "dijadwalkan" in staff.text
    broadcast = await staff_app.store.broadcasts.get(1)
    assert broadcast is not None and broadcast.status == "scheduled"
    assert broadcast.send_at is not None and broadcast.send_at.hour == 0  # 08:00 WITA = 00:00 UTC


async def test_bad_region_and_usage(staff_app: App) -> None:
    staff = await make_staff(staff_app, "officer")
    await staff.say("/umumkan")
    assert "Cara menulis pengumuman" in staff.text
    await staff.say("/umumkan wilayah:99.99 Halo")
    assert "tidak ada di daftar wilayah" in staff.text
    await staff.say("/umumkan wilayah:6x.04 Halo")
    assert "tidak sah" in staff.text
    assert await staff_app.store.broadcasts.recent() == []


async def test_stop_is_confirmed_and_ends_every_subscription(staff_app: App) -> None:
    person = Chat(staff_app, user_id="w1", channel="whatsapp")
    await person.say("langganan")
    await person.say("STOP")
    assert "berhenti berlangganan" in person.text
    user = await staff_app.store.people.find("whatsapp", "w1")
    assert user is not None and await staff_app.store.people.subscriptions(user.id) == []


async def test_region_subscription_by_chat_is_targeted(staff_app: App) -> None:
    ketapang = Chat(staff_app, user_id="t-ketapang", channel="telegram")
    await ketapang.say("mau dapet info terbaru ketapang")
    assert "Tekan Ya" in ketapang.text  # a request in words is confirmed with one tap
    await ketapang.press("Ya")
    assert "untuk Kabupaten Ketapang" in ketapang.text
    everything = Chat(staff_app, user_id="t-all", channel="telegram")
    await everything.say("langganan")
    staff = await make_staff(staff_app, "officer")

    await staff.say("/umumkan wilayah:61.04 Sosialisasi JKK di Ketapang")
    assert "Penerima: 1 (Telegram 1, WhatsApp 0)" in staff.text
    await staff.say("/umumkan wilayah:31 Sosialisasi JKK di Jakarta")
    assert "Penerima: 0" in staff.text and "belum ada pelanggan" in staff.text
    await staff.say("/umumkan Info untuk semua")
    assert "Penerima: 2 (Telegram 2, WhatsApp 0)" in staff.text
