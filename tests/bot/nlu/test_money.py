"""Amounts as people type them; numbers that name things are never money."""

from __future__ import annotations

import pytest

from bot.nlu.money import read_amount, read_money
from bot.nlu.slots import lower_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("gaji 3 juta 200 ribu", 3_200_000),
        ("gaji 3jt 200rb", 3_200_000),
        ("upah 4 jt 500 rb sebulan", 4_500_000),
        ("gaji empat setengah juta", 4_500_000),
        ("gaji tiga juta dua ratus ribu", 3_200_000),
        ("Gaji Rp4.500.000,- per bulan", 4_500_000),
        ("gaji 4.5jt", 4_500_000),
        ("gaji 4,5 jt", 4_500_000),
        ("bayar 450rb", 450_000),
        ("omzet 2 juta dan 750 ribu", 2_750_000),
        ("saldo jht 60jt", 60_000_000),
        ("Rp 1.250.000", 1_250_000),
        ("iuran 16.800", 16_800),
    ],
)
def test_every_common_amount_form_is_read(text: str, value: int) -> None:
    assert read_money(lower_text(text))[0] == value


def test_a_smaller_part_needs_a_smaller_unit_right_after_the_amount() -> None:
    assert read_money("gaji 3 juta, anak 2, umur 40")[0] == 3_000_000
    assert read_money("5 juta 2 juta")[0] == 5_000_000
    assert read_money("gaji 3 juta 1500 ribu")[0] == 3_000_000  # 1.5 jt is no part of 1 jt


@pytest.mark.parametrize(
    "text",
    [
        "kode desa 6111012007 capaiannya berapa",
        "no hp saya 085712345678 tidak bisa login",
        "wa ke 6281234567890 ya",
        "nomor kpj 12345678901 hilang",
        "nik 6101234567890001 salah",
        "saya lahir 1985 kerja sejak 2010",
        "tahun 2024 iurannya naik?",
    ],
)
def test_codes_phone_numbers_and_years_are_never_money(text: str) -> None:
    amount = read_amount(lower_text(text))
    assert amount.value is None and amount.guess is None


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("gaji 4500 iurannya berapa", 4_500_000),
        ("gaji saya 3200", 3_200_000),
        ("upah 4,5 potongannya berapa", 4_500_000),
        ("gaji -5jt potongan bpjs", 5_000_000),
    ],
)
def test_an_implausible_wage_is_a_guess_not_an_amount(text: str, guess: int) -> None:
    amount = read_amount(lower_text(text))
    assert amount.value is None
    assert amount.guess == guess
    assert amount.spans  # its digits are not read again as a year or a number


def test_a_range_is_not_read_as_a_negative_amount() -> None:
    assert read_amount("iuran 1-5jt").value == 5_000_000
