"""The dashboard in a real browser (Playwright driving Debian's Chromium, headless).

Sign in through the link the bot sends over the fake Bot API; every page at 360 px and
1280 px without horizontal scrolling (screenshots for docs/dashboard.md); compose, preview,
schedule and cancel an announcement; upload a bad and a good xlsx; export the village table
and open the xlsx.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from bot.imports.runner import import_file
from bot.regions.finder import RegionFinder
from tests.bot.web.browser import (
    ADMIN_TG,
    STAFF_TG,
    browser,
    fits,
    shots_dir,
    sign_in,
    stack,
)
from tests.fakes.telegram_api import message_update

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PAGES = {
    "kotak-masuk": "inbox",
    "pertanyaan": "questions",
    "pengumuman": "announcements",
    "impor": "imports",
    "desa": "villages",
    "statistik": "statistics",
    "fakta": "facts",
    "staf": "staff",
    "audit": "audit",
}


async def test_sign_in_from_the_bot_then_every_page_fits_phone_and_desktop(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    async with stack(tmp_path, seeded_database, place_finder) as served:
        store = served.app.store
        for text in (
            "kapan bpjs buka hari sabtu",
            "kapan bpjs buka hari sabtu?",
            "nomor wa cabang",
        ):
            await store.questions.log(
                user_id=None,
                channel="telegram",
                text=text,
                intent="fallback",
                score=0.1,
                answered=False,
            )
        await import_file(
            store,
            "targets",
            EXAMPLES / "contoh-target-desa.csv",
            today=served.app.dispatcher.today(),
        )
        link = await served.link_from_bot(ADMIN_TG)
        shots = shots_dir(tmp_path)
        async with browser(tmp_path / "profile") as context:
            page = await context.new_page()
            await sign_in(page, link)
            for path, name in PAGES.items():
                for width, height in ((360, 740), (1280, 800)):
                    await page.set_viewport_size({"width": width, "height": height})
                    response = await page.goto(f"{served.url}/dasbor/{path}")
                    assert response is not None and response.status == 200, path
                    assert await fits(page), f"/dasbor/{path} scrolls sideways at {width} px"
                await page.screenshot(path=str(shots / f"{name}.png"))
            await page.set_viewport_size({"width": 360, "height": 740})
            await page.goto(f"{served.url}/dasbor/desa")
            await page.screenshot(path=str(shots / "villages-phone.png"))
            # the same link again opens nothing
            await page.goto(link)
            await page.click("#login")
            assert "sudah dipakai" in await page.inner_text("#reason")
        assert all((shots / f"{name}.png").stat().st_size > 2000 for name in PAGES.values())
        actions = [e.action for e in await store.audit.recent(50)]
        assert "dashboard.login" in actions


async def test_compose_preview_schedule_and_cancel_an_announcement(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    async with stack(tmp_path, seeded_database, place_finder) as served:
        store = served.app.store
        for channel, external in (
            ("telegram", "920001"),
            ("telegram", "920002"),
            ("whatsapp", "6281200000001"),
        ):
            user = await store.people.touch(channel, external)
            await store.people.subscribe(user.id, "61.11")
        ketapang = await store.people.touch("telegram", "920003")
        await store.people.subscribe(ketapang.id, "61.04")
        link = await served.link_from_bot(STAFF_TG)
        async with browser(tmp_path / "profile") as context:
            page = await context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            await sign_in(page, link)
            await page.goto(f"{served.url}/dasbor/pengumuman")
            await page.fill(
                "textarea[name=text_id]", "Pendaftaran pekerja rentan dibuka di kantor desa."
            )
            await page.fill("input[name=region]", "61.11")
            # the live preview: each channel's text and the counts per channel
            await page.wait_for_selector("#audience")
            telegram = page.locator("[data-channel=telegram][data-locale=id]")
            assert "Pendaftaran pekerja rentan" in await telegram.inner_text()
            template = page.locator("[data-channel=template][data-locale=id]")
            assert "\n" not in (await template.inner_text()).split("\n", 1)[1].strip()
            counts = await page.inner_text("#audience")
            assert "Telegram\t2" in counts and "WhatsApp\t1" in counts
            tomorrow = datetime.now(ZoneInfo("Asia/Pontianak")) + timedelta(days=1)
            await page.fill("input[name=send_at]", tomorrow.strftime("%Y-%m-%dT08:00"))
            async with page.expect_navigation():
                await page.click("#schedule")
            errors = page.locator("#compose-error")
            assert await errors.count() == 0, await errors.inner_text()
            assert "/dasbor/pengumuman/" in page.url, (await page.inner_text("main"))[:600]
            assert "terjadwal" in (await page.inner_text("#status")).lower()
            [broadcast] = await store.broadcasts.recent(5)
            assert broadcast.status == "scheduled" and broadcast.send_at is not None
            await page.screenshot(path=str(shots_dir(tmp_path) / "announcement.png"))
            await page.click("#cancel")
            await page.wait_for_selector("#status[data-done]")
            assert "dibatalkan" in (await page.inner_text("#status")).lower()
            assert served.fake.sent_texts(920001) == []  # cancelled before it was due

            # sent now: the page follows the progress live until the report is complete
            await page.goto(f"{served.url}/dasbor/pengumuman")
            await page.fill("textarea[name=text_id]", "Sosialisasi BPU di balai desa besok pagi.")
            await page.fill("input[name=region]", "61.04")
            await page.wait_for_selector("#audience")
            async with page.expect_navigation():
                await page.click("#schedule")
            await page.wait_for_selector("#status[data-done]", timeout=20_000)
            assert "selesai" in (await page.inner_text("#status")).lower()
            assert "1 dari 1 terkirim" in await page.inner_text("#progress")
        cancelled = await store.broadcasts.get(broadcast.id)
        assert cancelled is not None and cancelled.status == "cancelled"
        [sent] = served.fake.sent_texts(920003)
        assert "Sosialisasi BPU di balai desa besok pagi." in sent


def _bad_targets() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["kode_desa", "tahun", "target", "terdaftar", "per_tanggal", "sumber"])
    sheet.append(["61.11.01.2001", 2025, "banyak", 10, "2025-06-30", "uji"])
    sheet.append(["99.99.99.9999", 2025, 100, 10, "2025-06-30", "uji"])
    sheet.append(["61.11.01.2002", 2025, 100, -5, "2025-06-30", ""])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def test_upload_a_bad_then_a_good_xlsx_and_export_the_villages(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    bad = tmp_path / "target-salah.xlsx"
    bad.write_bytes(_bad_targets())
    async with stack(tmp_path, seeded_database, place_finder) as served:
        store = served.app.store
        link = await served.link_from_bot(STAFF_TG)
        async with browser(tmp_path / "profile") as context:
            page = await context.new_page()
            await sign_in(page, link)
            await page.goto(f"{served.url}/dasbor/impor")
            await page.select_option("select[name=kind]", "targets")
            await page.set_input_files("input[name=file]", str(bad))
            await page.click("#check")
            await page.wait_for_selector("#problems")
            rows = await page.locator("#problems tbody tr").count()
            assert rows >= 4
            assert await page.locator("#confirm").count() == 0
            assert await store.targets.count() == 0
            await page.set_input_files(
                "input[name=file]", str(EXAMPLES / "contoh-target-desa.xlsx")
            )
            await page.click("#check")
            await page.wait_for_selector("#confirm")
            assert await store.targets.count() == 0  # a dry run first
            await page.click("#confirm")
            await page.wait_for_selector("#result.notice")
            assert await store.targets.count() == 8
            assert "import.targets" in await page.inner_text("#history")

            await page.goto(f"{served.url}/dasbor/desa")
            await page.select_option("select[name=kabupaten]", "61.11/2025")
            async with page.expect_navigation():
                await page.click("form.row button.primary")
            assert await page.locator("#villages tbody tr").count() == 5  # latest per village
            await page.click("#villages th >> nth=5 >> a")  # sort by percent
            first = await page.inner_text("#villages tbody tr >> nth=0")
            async with page.expect_download() as download_info:
                await page.click("#export")
            download = await download_info.value
            saved = tmp_path / "desa.xlsx"
            await download.save_as(saved)
        sheet = load_workbook(saved).active
        values = [row for row in sheet.iter_rows(values_only=True)]
        assert values[1][:4] == ("Kode", "Desa", "Kecamatan", "Target")
        assert len(values) == 2 + 5
        by_code = {row[0]: row for row in values[2:]}
        assert by_code["61.11.01.2001"][3:6] == (120, 66, 54)  # target, registered, remaining
        assert by_code["61.11.01.2001"][8] == 18  # change since the import before
        assert first  # the sorted table rendered
        actions = [e.action for e in await store.audit.recent(50)]
        assert "dashboard.villages.export" in actions and "import.targets" in actions


async def test_answer_a_ticket_and_the_reply_reaches_the_user(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    user = 930001
    async with stack(tmp_path, seeded_database, place_finder) as served:
        fake = served.fake
        fake.push_update(message_update(user, "mau bicara dengan petugas"))
        await fake.wait_for(
            "sendMessage",
            where=lambda c: (
                "#1" in str(c.params.get("text")) and str(c.params["chat_id"]) == str(user)
            ),
        )
        link = await served.link_from_bot(STAFF_TG)
        async with browser(tmp_path / "profile") as context:
            page = await context.new_page()
            await page.set_viewport_size({"width": 360, "height": 740})
            await sign_in(page, link)
            await page.goto(f"{served.url}/dasbor/kotak-masuk")
            async with page.expect_navigation():
                await page.click("#tickets tbody tr >> nth=0 >> a >> nth=0")
            async with page.expect_navigation():
                await page.click("#claim")
            assert "diambil" in await page.inner_text("#ticket-status")
            answer = "Silakan datang ke kantor cabang dengan KTP; klaim bisa diproses hari ini."
            await page.fill("#reply textarea[name=text]", answer)
            async with page.expect_navigation():
                await page.click("#send-reply")
            assert await fits(page)
            await page.screenshot(path=str(shots_dir(tmp_path) / "ticket.png"))
            sent = await fake.wait_for(
                "sendMessage",
                where=lambda c: answer in str(c.params.get("text")),
                within=10.0,
            )
            assert str(sent[0].params["chat_id"]) == str(user)
            async with page.expect_navigation():
                await page.click("#save-faq button")
            assert await page.locator("#faq-saved").count() == 1
            async with page.expect_navigation():
                await page.click("#close")
            assert "ditutup" in await page.inner_text("#ticket-status")
        ticket = await served.app.store.tickets.get(1)
        assert ticket is not None and ticket.status == "closed"
        assert ticket.claimed_by == f"telegram:{STAFF_TG}"
        [faq] = await served.app.store.faqs.active()
        assert faq.answer_id == answer
