"""Coverage answers from the store: Ketapang's shipped figures, Kayong Utara without data."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.app import App
from bot.core.payload import decode
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from bot.store import CoverageRecord
from tests.conftest import Chat
from tests.handlers.asking import ask

KETAPANG = "61.04"
KAYONG_UTARA = "61.11"
KETAPANG_FIGURES = ("71.405", "80.101", "29.647", "42.217", "55,69", "68,02", "4,3", "34.400")


def figures_in(text: str) -> set[str]:
    """Every number in a reply except the call-centre number."""
    return {n for n in re.findall(r"\d[\d.,]*\d|\d", text) if n != "175"}


async def test_ketapang_latest_year_with_source(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION, Slots(region=KETAPANG))
    text = answer.text
    assert "Kabupaten Ketapang, tahun 2024" in text
    assert "Penerima Upah (PU): 80.101 peserta" in text
    assert "Bukan Penerima Upah (BPU): 42.217 peserta" in text
    assert "68,02 %" in text and "(tahun 2023: 55,69 %)" in text
    assert "Rp 4,3 miliar" in text and "34.400" in text
    assert text.rstrip().endswith("Sumber: Harian Equator, September 2025 (data 2024)")
    assert len(text) < 600
    assert answer.titles == [
        "Bandingkan daerah",
        "Anggaran daerah",
        "Peringkat daerah",
        "Grafik PU/BPU",
    ]
    assert decode(answer.payloads[2]) == (Intent.COVERAGE_RANKING, Slots(region="61"))


async def test_a_year_asked_for(app: App) -> None:
    text = (await ask(app, Intent.COVERAGE_REGION, Slots(region=KETAPANG, year=2023))).text
    assert "tahun 2023" in text and "71.405" in text and "55,69 %" in text
    assert "80.101" not in text
    assert "Anggaran" not in text  # the 2023 budget was not reported: no line, no number


async def test_a_missing_year_offers_the_years_there_are(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION, Slots(region=KETAPANG, year=2020))
    assert "2020 belum ada" in answer.text
    assert answer.titles == ["2023", "2024"]
    assert decode(answer.payloads[0]) == (
        Intent.COVERAGE_REGION,
        Slots(region=KETAPANG, year=2023),
    )


async def test_a_regency_without_data_never_gets_a_figure(app: App) -> None:
    for intent in (Intent.COVERAGE_REGION, Intent.REGION_BUDGET, Intent.COVERAGE_COMPARE):
        for locale in ("id", "en"):
            answer = await ask(app, intent, Slots(region=KAYONG_UTARA), locale=locale)
            assert "Kayong Utara" in answer.text
            assert figures_in(answer.text) == set(), answer.text
            assert "175" in answer.text  # who to ask instead
    text = (await ask(app, Intent.COVERAGE_REGION, Slots(region=KAYONG_UTARA))).text
    assert "Belum ada data" in text and "kantor cabang" in text


async def test_typed_question_for_a_regency_without_data(chat: Chat) -> None:
    await chat.say("cakupan bpjs tk kayong utara 2024")
    assert "Kayong Utara" in chat.text
    assert figures_in(chat.text) <= {"2024"}
    assert not any(figure in chat.text for figure in KETAPANG_FIGURES)


async def test_typed_question_with_an_abbreviation(chat: Chat) -> None:
    await chat.say("cakupan ktp 2023")
    assert "Kabupaten Ketapang, tahun 2023" in chat.text
    assert "71.405" in chat.text


async def test_typed_ambiguous_name_then_a_button(chat: Chat) -> None:
    await chat.say("cakupan bpjs tk bogor")
    assert chat.text.startswith("Bogor yang mana?")
    assert chat.button_titles == ["Kab. Bogor", "Kota Bogor"]
    await chat.press("Kota Bogor")
    assert "Kota Bogor" in chat.text and "Belum ada data" in chat.text


async def test_two_years_of_one_region(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_COMPARE, Slots(region=KETAPANG))
    text = answer.text
    assert "Kabupaten Ketapang, 2023 → 2024" in text
    assert "PU: 71.405 → 80.101" in text
    assert "BPU: 29.647 → 42.217" in text
    assert "Cakupan: 55,69 % → 68,02 %" in text
    assert "(data 2023, 2024)" in text


async def test_two_regions_one_without_data(chat: Chat) -> None:
    await chat.say("bandingkan ketapang sama kayong utara")
    text = chat.text
    assert "Kabupaten Ketapang (2024)" in text and "80.101" in text
    kayong_line = next(line for line in text.splitlines() if "Kayong Utara" in line)
    assert "belum ada data" in kayong_line
    assert figures_in(kayong_line) == set()
    assert chat.button_titles == ["Ketapang", "Kayong Utara"]


async def test_two_regions_with_data_use_a_common_year(app: App) -> None:
    record = CoverageRecord(
        region_code=KAYONG_UTARA,
        year=2024,
        pu=9000,
        bpu=None,
        coverage_percent=Decimal("41.5"),
        budget_rp=None,
        vulnerable_funded=None,
        source="Contoh",
    )
    await app.store.coverage.upsert_many([record])
    slots = Slots(region=KETAPANG, other_region=KAYONG_UTARA)
    text = (await ask(app, Intent.COVERAGE_COMPARE, slots)).text
    assert "Kabupaten Kayong Utara (2024)" in text and "9.000" in text and "41,5 %" in text
    assert "Sumber: Harian Equator" in text and "Sumber: Contoh (data 2024)" in text


async def test_ranking_of_kalimantan_barat(chat: Chat) -> None:
    await chat.say("kabupaten mana cakupannya tertinggi di kalbar")
    text = chat.text
    assert "Kalimantan Barat, tahun 2024" in text
    assert "1. Ketapang: 68,02 %" in text
    assert "13 kabupaten/kota lainnya" in text
    assert chat.button_titles == ["Ketapang"]


async def test_ranking_orders_by_reported_percent(app: App) -> None:
    rows = [
        CoverageRecord(
            region_code=code,
            year=2024,
            pu=None,
            bpu=None,
            coverage_percent=Decimal(percent),
            budget_rp=None,
            vulnerable_funded=None,
            source="Contoh",
        )
        for code, percent in (("61.11", "70.5"), ("61.71", "12"))
    ]
    await app.store.coverage.upsert_many(rows)
    text = (await ask(app, Intent.COVERAGE_RANKING, Slots(region=KETAPANG))).text
    lines = [line for line in text.splitlines() if line[:1].isdigit()]
    assert lines == ["1. Kayong Utara: 70,5 %", "2. Ketapang: 68,02 %", "3. Pontianak: 12 %"]


async def test_ranking_of_a_province_without_data(app: App) -> None:
    text = (await ask(app, Intent.COVERAGE_RANKING, Slots(region="32"))).text
    assert "Belum ada data" in text and "Jawa Barat" in text
    assert figures_in(text) == set()


async def test_a_province_without_own_figures_offers_its_ranking(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION, Slots(region="61"))
    assert "Belum ada data" in answer.text and "Kalimantan Barat" in answer.text
    assert figures_in(answer.text) == set()
    assert decode(answer.payloads[0]) == (Intent.COVERAGE_RANKING, Slots(region="61"))


async def test_region_budget(app: App) -> None:
    answer = await ask(app, Intent.REGION_BUDGET, Slots(region=KETAPANG))
    assert "Kabupaten Ketapang untuk pekerja rentan, tahun 2024" in answer.text
    assert "Rp 4,3 miliar" in answer.text and "34.400 orang" in answer.text
    assert "Sumber: Harian Equator" in answer.text
    assert "Anggaran daerah" not in answer.titles


async def test_trend_chart_button(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION, Slots(region=KETAPANG, option="chart"))
    (reply,) = answer.replies
    assert reply.image is not None
    assert reply.image.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Grafik PU/BPU" not in answer.titles


async def test_english(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION, Slots(region=KETAPANG), locale="en")
    assert "Wage earners (PU): 80.101 participants" in answer.text
    assert "Source: Harian Equator" in answer.text


async def test_no_region_named_asks_which(app: App) -> None:
    answer = await ask(app, Intent.COVERAGE_REGION)
    assert answer.text.startswith("Wilayah mana?")


async def test_a_budget_question_with_a_sum_is_the_village_fund_calculator(app: App) -> None:
    """ "dana desa Rp 50 juta cukup untuk berapa pekerja rentan?" arrives as region_budget."""
    answer = await ask(app, Intent.REGION_BUDGET, Slots(money=50_000_000))
    # Rp 50.000.000 / Rp 16.800 (BPU JKK + JKM, lowest band) = 2.976 worker-months = 248 × 12.
    assert "248 pekerja rentan selama 12 bulan" in answer.text
    assert "2.976 bulan-pekerja" in answer.text
    assert "Sumber:" in answer.text
