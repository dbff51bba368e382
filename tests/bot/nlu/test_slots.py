from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.understanding import PlaceMention
from bot.nlu.artefact import default_model
from bot.nlu.money import read_money
from bot.nlu.slots import PhraseTable, SlotReader, cue_places

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("gaji 4,5jt potongan brp", 4_500_000),
        ("gaji Rp 4.500.000 iurannya", 4_500_000),
        ("Rp4.500.000,00", 4_500_000),
        ("Rp4jt", 4_000_000),
        ("rp. 3.500.000", 3_500_000),
        ("gaji 3 juta", 3_000_000),
        ("4.5 juta", 4_500_000),
        ("4,5 jt", 4_500_000),
        ("750rb sebulan", 750_000),
        ("penghasilan 750 ribu", 750_000),
        ("1,5jt-an", 1_500_000),
        ("3jt an", 3_000_000),
        ("empat juta", 4_000_000),
        ("empat setengah juta", 4_500_000),
        ("satu koma lima juta", 1_500_000),
        ("dua juta lima ratus ribu", 2_500_000),
        ("tiga ratus ribu", 300_000),
        ("sejuta", 1_000_000),
        ("gaji 4500000", 4_500_000),
        ("upah 12.000.000 per bulan", 12_000_000),
        ("salary 5,000,000", 5_000_000),
        ("income 4 million", 4_000_000),
        ("iuran 16.800", 16_800),
        ("4 setengah juta", 4_500_000),
        ("IDR 2.000.000", 2_000_000),
        ("Rp 10 M", 10_000_000_000),
    ],
)
def test_money_is_read_from_informal_amounts(text: str, amount: int) -> None:
    assert read_money(text.lower())[0] == amount


@pytest.mark.parametrize(
    "text",
    [
        "cakupan ketapang 2024",  # a year, not money
        "klaim jp kalo belum 15 thn",
        "nunggak 3 bulan",
        "umur 56",
        "61.04",
        "jarak 5 m",
        "",
        "satu dua tiga",  # number words without juta/ribu
        "rp",
        "potongan gaji brp jt ya",  # a bare unit is no amount
        "umr brp rb",
        "gaji brp juta sih",
        "gaji 999999999999999999 jt",  # out of range: no amount, not "jt" alone
        "gaji 0 jt",
    ],
)
def test_no_money_where_there_is_none(text: str) -> None:
    assert read_money(text)[0] is None


def reader(finder: object = None) -> SlotReader:
    model = default_model()
    return SlotReader(
        occupations=model.occupations,
        languages=model.languages,
        place_stop_words=model.place_stop_words,
        finder=finder,  # type: ignore[arg-type]
    )


def test_age_birth_year_and_year_are_told_apart() -> None:
    slots = reader().read("sy lahir 1970, umur 56, cakupan 2024", today=TODAY).slots
    assert (slots.birth_year, slots.age, slots.year) == (1970, 56, 2024)


@pytest.mark.parametrize(
    ("text", "age"),
    [("umur saya 45 kapan pensiun", 45), ("usia 58 thn", 58), ("I am 40 years old", 40)],
)
def test_age(text: str, age: int) -> None:
    assert reader().read(text, today=TODAY).slots.age == age


def test_contribution_years_are_not_an_age() -> None:
    assert reader().read("klaim jp kalo belum 15 thn", today=TODAY).slots.age is None


@pytest.mark.parametrize(
    ("text", "occupation"),
    [
        ("sy ojol bisa ikut gak", "ojol"),
        ("aku driver gojek", "ojol"),
        ("saya petani sawit", "petani"),
        ("kerja jadi nelayan", "nelayan"),
        ("ibu saya jualan di pasar", "pedagang"),
        ("saya asisten rumah tangga", "art"),
    ],
)
def test_occupation(text: str, occupation: str) -> None:
    assert reader().read(text, today=TODAY).slots.occupation == occupation


def test_language_slot_only_when_asked() -> None:
    english = reader().read("english please", today=TODAY)
    assert english.for_intent("language", language=True).language == "en"
    indonesian = reader().read("ganti bahasa indonesia", today=TODAY)
    assert indonesian.for_intent("language", language=True).language == "id"
    assert english.slots.language is None
    assert english.for_intent("help").language is None


def test_an_option_is_read_only_for_the_intent_it_belongs_to() -> None:
    model = default_model()
    options = {"jht_claim": model.situations, "village_target": {"fund": model.fund_cues}}
    slot_reader = SlotReader(
        occupations=model.occupations, languages=model.languages, options=options
    )
    reading = slot_reader.read("peserta meninggal, dana desa 50 juta", today=TODAY)
    assert reading.for_intent("jht_claim").option == "death"
    assert reading.for_intent("village_target").option == "fund"
    assert reading.for_intent("jkm_benefit").option is None


def test_keyword_cues_give_place_names_without_a_finder() -> None:
    ends = default_model().place_stop_words
    assert cue_places("target desa sukadana berapa", ends) == [("desa", "sukadana")]
    assert cue_places("cakupan kab. ketapang 2024", ends) == [("kab", "ketapang")]
    slots = reader().read("bandingkan kab ketapang dan kab kayong utara", today=TODAY).slots
    assert (slots.place, slots.other_region) == ("ketapang", "kayong utara")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("village target sutera", ("village", "sutera")),
        ("what is the target of sutera village", ("village", "sutera")),
        ("coverage ketapang regency 2024", ("regency", "ketapang")),
        ("coverage of kayong utara district", ("district", "kayong utara")),
        ("pontianak city coverage", ("city", "pontianak")),
    ],
)
def test_english_keywords_cue_place_names(text: str, cue: tuple[str, str]) -> None:
    assert cue_places(text, default_model().place_stop_words) == [cue]


def test_typed_code_is_a_region() -> None:
    assert reader().read("cakupan 61.04 tahun 2023", today=TODAY).slots.region == "61.04"
    slots = reader().read("target 61.11.01.2001", today=TODAY).slots
    assert (slots.region, slots.village) == ("61.11.01.2001", "61.11.01.2001")


class DictFinder:
    """A PlaceFinder over a fixed table (the protocol H4a's gazetteer index implements)."""

    def __init__(self, names: dict[str, tuple[str, ...]]):
        self.names = names

    def find(self, text: str) -> list[PlaceMention]:
        lowered = text.lower()
        found = [(lowered.find(n), n) for n in self.names if n in lowered]
        return [PlaceMention(text=n, codes=self.names[n]) for _, n in sorted(found)]


FINDER = DictFinder(
    {
        "ketapang": ("61.04",),
        "kayong utara": ("61.11",),
        "desa sutera": ("61.11.01.2001",),
        "sukadana": ("18.07.01.2001", "61.11.01"),
    }
)


def test_finder_mentions_fill_region_other_region_and_village() -> None:
    slots = reader(FINDER).read("bandingkan ketapang sama kayong utara", today=TODAY).slots
    assert (slots.place, slots.region, slots.other_region) == ("ketapang", "61.04", "61.11")
    slots = reader(FINDER).read("target desa sutera berapa", today=TODAY).slots
    assert (slots.region, slots.village) == ("61.11.01.2001", "61.11.01.2001")


class RepeatingFinder:
    """Finds "kabupaten ketapang" and then "ketapang" again, as the gazetteer finder does."""

    def find(self, text: str) -> list[PlaceMention]:
        return [PlaceMention(text=n, codes=("61.04",)) for n in ("kabupaten ketapang", "ketapang")]


def test_one_place_named_twice_is_not_a_second_place() -> None:
    text = "kerja di kabupaten ketapang, di ketapang ini sudah berapa pekerja ikut"
    slots = reader(RepeatingFinder()).read(text, today=TODAY).slots
    assert (slots.region, slots.other_region) == ("61.04", None)
    ends = default_model().place_stop_words
    slots = reader().read("cakupan kab ketapang, kab ketapang tahun ini", today=TODAY).slots
    assert (slots.place, slots.other_region) == ("ketapang", None)
    assert cue_places("cakupan kab ketapang, kab ketapang tahun ini", ends)


def test_ambiguous_place_keeps_only_the_name() -> None:
    slots = reader(FINDER).read("target desa sukadana", today=TODAY).slots
    assert (slots.place, slots.region, slots.village) == ("sukadana", None, None)


_PHRASES = {
    "jht": ["jht", "jaminan hari tua", "hari tua"],
    "cair": ["cair", "cairkan dana", "dana"],
    "long": ["dana jaminan hari tua"],
    "num": ["2024", "x2"],
}
_PHRASE_WORDS = ["jht", "jaminan", "hari", "tua", "cair", "cairkan", "dana", "2024", "x2", "x"]


def _by_expression(table: PhraseTable, text: str) -> tuple[str | None, set[str]]:
    pattern = table._pattern
    assert pattern is not None
    match = pattern.search(text)
    found = {table._values[m.group(1)] for m in pattern.finditer(text)}
    return (table._values[match.group(1)] if match else None), found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_WORDS), max_size=12))
def test_phrases_found_word_by_word_are_those_the_expression_finds(words: list[str]) -> None:
    table = PhraseTable(_PHRASES)
    text = " ".join(words)
    first, found = _by_expression(table, text)
    assert table.find(text) == first
    assert table.find_all(text) == found
    pattern = table._pattern
    assert pattern is not None
    expected = pattern.sub(lambda m: table._values[m.group(1)], text).split()
    assert table.replaced(words) == expected


@pytest.mark.parametrize(
    "text",
    ["dana  jht", " jht", "jht_dana", "dana, jaminan hari tua!", "", "JHT dana", "hari tua."],
)
def test_text_not_of_single_spaced_words_is_read_by_the_expression(text: str) -> None:
    table = PhraseTable(_PHRASES)
    first, found = _by_expression(table, text)
    assert (table.find(text), table.find_all(text)) == (first, found)


def test_the_longest_phrase_wins_and_phrases_do_not_overlap() -> None:
    table = PhraseTable(_PHRASES)
    assert table.find_all("dana jaminan hari tua") == {"long"}
    assert table.find_all("cairkan dana jaminan hari tua x2") == {"cair", "jht", "num"}
    assert table.replaced(["mau", "cairkan", "dana", "hari", "tua"]) == ["mau", "cair", "jht"]
    assert table.replaced(["tidak", "ada"]) == ["tidak", "ada"]
