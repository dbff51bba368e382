"""Reading `/umumkan` options, send times in WIB/WITA/WIT, and the preflight limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.announcements.compose import ComposeError, parse_announcement
from bot.announcements.preflight import preflight, telegram_length, template_parameter
from bot.announcements.timezones import zone_of
from bot.domain.messages import Button, Reply

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB, 11:00 WITA, 12:00 WIT


def test_plain_text_goes_to_all_subscribers_now() -> None:
    draft = parse_announcement("JMO sedang gangguan, mohon bersabar.", NOW)
    assert draft.text_id == "JMO sedang gangguan, mohon bersabar."
    assert draft.text_en is None
    assert draft.audience.region_code is None and not draft.audience.village_heads
    assert draft.send_at is None


def test_options_then_text_then_english() -> None:
    draft = parse_announcement(
        "wilayah:61.04.16.2009 untuk:kades bahasa:ID Rapat di balai desa\nbesok pagi.\n"
        "EN: Meeting at the village hall tomorrow morning.",
        NOW,
    )
    assert draft.audience.region_code == "61.04.16.2009"
    assert draft.audience.village_heads and draft.audience.language == "id"
    assert draft.text_id == "Rapat di balai desa\nbesok pagi."
    assert draft.text_en == "Meeting at the village hall tomorrow morning."


def test_a_text_starting_with_kades_is_not_an_option() -> None:
    draft = parse_announcement("Kades dimohon hadir", NOW)
    assert draft.text_id == "Kades dimohon hadir" and not draft.audience.village_heads


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("61.04", "WIB"),  # Kalimantan Barat
        ("62", "WIB"),
        ("31.71", "WIB"),
        ("51.71", "WITA"),  # Bali
        ("64.72", "WITA"),  # Kalimantan Timur
        ("65", "WITA"),  # Kalimantan Utara
        ("73.71", "WITA"),
        ("81.71", "WIT"),  # Maluku
        ("94.01", "WIT"),  # Papua Tengah
        ("96", "WIT"),
        (None, "WIB"),
    ],
)
def test_zone_follows_the_province(code: str | None, zone: str) -> None:
    assert zone_of(code).abbreviation == zone


def test_send_time_is_local_to_the_region() -> None:
    wita = parse_announcement("wilayah:73.71 kirim:2026-11-24T08:00 Sosialisasi", NOW)
    assert wita.send_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    wit = parse_announcement("wilayah:94 kirim:2026-11-24_08:00 Sosialisasi", NOW)
    assert wit.send_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    override = parse_announcement("wilayah:94 zona:WIB kirim:2026-11-24T08:00 Halo", NOW)
    assert override.send_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    later_today = parse_announcement("kirim:15:30 Halo", NOW)  # 15:30 WIB today
    assert later_today.send_at == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    tomorrow = parse_announcement("kirim:08:00 Halo", NOW)  # 08:00 WIB has passed today
    assert tomorrow.send_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("", "staff.compose.empty"),
        ("wilayah:61.04", "staff.compose.empty"),
        ("wilayah:ketapang Halo", "staff.compose.bad_region"),
        ("wilayah:6.1 Halo", "staff.compose.bad_region"),
        ("bahasa:jw Halo", "staff.compose.bad_language"),
        ("zona:GMT kirim:08:00 Halo", "staff.compose.bad_zone"),
        ("kirim:besok Halo", "staff.compose.bad_time"),
        ("kirim:2026-11-22T08:00 Halo", "staff.compose.past_time"),
    ],
)
def test_compose_errors_name_the_problem(args: str, key: str) -> None:
    with pytest.raises(ComposeError) as caught:
        parse_announcement(args, NOW)
    assert caught.value.key == key


def test_preflight_counts_telegram_utf16_units() -> None:
    ok = Reply(text="a" * 4096)
    emoji = Reply(text="🙂" * 2049)  # 2,049 characters, 4,098 UTF-16 units
    assert telegram_length(emoji.text) == 4098
    assert preflight({"id": ok}, ["telegram", "whatsapp"]) == []
    problems = preflight({"id": emoji}, ["telegram", "whatsapp"])
    assert [(p.key, p.values["channel"]) for p in problems] == [
        ("staff.preflight.too_long", "Telegram")
    ]


def test_preflight_checks_buttons_and_template_parameter() -> None:
    reply = Reply(
        text="x" * 1500,
        buttons=(Button(title="Daftar sekarang juga ya", payload="/a"),),
    )
    keys = [p.key for p in preflight({"id": reply}, ["whatsapp"])]
    assert keys == ["staff.preflight.too_long", "staff.preflight.button_label"]  # 1,024 body
    long_text = Reply(text="Pengumuman\n" * 100)  # 1,100 characters
    refused = preflight(
        {"id": long_text},
        ["whatsapp"],
        template_needed=True,
        template_name="umum",
        template_max_chars=1000,
    )
    assert [p.key for p in refused] == ["staff.preflight.template_too_long"]
    assert preflight({"id": long_text}, ["telegram"], template_needed=True) == []
    assert template_parameter("a\n\nb\t c     d") == "a b c d"
