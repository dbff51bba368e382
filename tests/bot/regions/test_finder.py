"""The place finder over the real gazetteer: names, aliases, cues, typos, codes, ambiguity."""

from __future__ import annotations

import pytest

from bot.domain.understanding import PlaceFinder, PlaceMention
from bot.regions import finder as finder_module
from bot.regions.finder import RegionFinder
from bot.regions.vocabulary import load_vocabulary
from bot.store import Region

KETAPANG = "61.04"
KAYONG_UTARA = "61.11"
SUTERA = "61.11.01.2001"  # Desa Sutera, Kec. Sukadana, Kab. Kayong Utara
GUNUNGSEMBILAN = "61.11.01.2009"
SUKADANA_DISTRICT = "61.11.01"


def codes(finder: RegionFinder, text: str) -> list[tuple[str, ...]]:
    return [mention.codes for mention in finder.find(text)]


def test_it_is_a_place_finder(place_finder: RegionFinder) -> None:
    finder: PlaceFinder = place_finder
    assert finder.find("kayong utara") == [PlaceMention("kayong utara", (KAYONG_UTARA,))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cakupan bpjs tk ketapang 2024", KETAPANG),
        ("kab ketapang", KETAPANG),
        ("Kabupaten Ketapang", KETAPANG),
        ("anggaran pemda ketapang buat pekerja rentan", KETAPANG),
        ("ktp", KETAPANG),
        ("cakupan ktp 2024", KETAPANG),
        ("kayong utara", KAYONG_UTARA),
        ("KKU", KAYONG_UTARA),
        ("cakupan kab. kayong utara", KAYONG_UTARA),
        ("cakupan ketapnag", KETAPANG),  # transposed letters
        ("kayong utra", KAYONG_UTARA),  # a letter missing
        ("peringkat di kalbar", "61"),
        ("kota pontianak", "61.71"),
        ("cakupan 61.04", KETAPANG),
    ],
)
def test_regencies_and_provinces(place_finder: RegionFinder, text: str, expected: str) -> None:
    assert codes(place_finder, text) == [(expected,)]


@pytest.mark.parametrize(
    "text",
    [
        "syarat klaim jht bawa ktp dan kk",  # KTP the identity card, not Ketapang
        "iuran bpjs tk gaji 4,5jt berapa",
        "lagi malang nasib saya bulan ini kena phk",  # "malang" the word, not the city
        "kendala klaim jht",
        "capaian desa saya",
        "desa mana yang paling banyak daftar",  # "desa yang" / "mana yang": villages too
        "sudah berapa warga desa yang terdaftar",
        "makasih ya",
        "bantuan",  # a district in Riau, and an everyday word
        "cakupan 61.99",  # well-formed code that does not exist
    ],
)
def test_no_place_where_none_is_named(place_finder: RegionFinder, text: str) -> None:
    assert place_finder.find(text) == []


def test_a_common_word_is_a_place_after_a_cue(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "kerja di malang") == [("35.07", "35.73")]


def test_villages_need_a_cue_or_a_bare_name(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "desa sutera") == [(SUTERA,)]
    assert codes(place_finder, "target desa Sutera berapa") == [(SUTERA,)]
    # the answer to "desa mana?": a bare name may be any level (a district Sutera is in Sumbar)
    assert codes(place_finder, "Sutera") == [("13.01.08", SUTERA)]
    assert codes(place_finder, "desa gunungsembilan") == [(GUNUNGSEMBILAN,)]
    assert codes(place_finder, "desa gunung sembilan") == [(GUNUNGSEMBILAN,)]


def test_ketapang_villages(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "desa suka bangun dalam") == [("61.04.16.2009",)]
    assert codes(place_finder, "kelurahan kantor, ketapang") == [("61.04.16.1001",)]


def test_an_ambiguous_name_keeps_every_candidate(place_finder: RegionFinder) -> None:
    (mention,) = place_finder.find("desa sukadana")
    assert len(mention.codes) == 22
    assert all(len(code.split(".")) == 4 for code in mention.codes)
    (district,) = place_finder.find("kec sukadana")
    assert district.codes == ("18.07.01", "32.07.14", SUKADANA_DISTRICT)
    (bare,) = place_finder.find("sukadana")
    assert bare.codes[:3] == district.codes  # districts before villages
    assert codes(place_finder, "cakupan bogor") == [("32.01", "32.71")]
    assert codes(place_finder, "cakupan kota bogor") == [("32.71",)]
    assert codes(place_finder, "jambi") == [("15", "15.71")]
    assert codes(place_finder, "provinsi jambi") == [("15",)]


def test_a_place_with_its_region_is_one_narrowed_mention(place_finder: RegionFinder) -> None:
    (mention,) = place_finder.find("target desa sutera kayong utara")
    assert mention.codes == (SUTERA,)
    assert "kayong utara" in mention.text
    (district,) = place_finder.find("kec sukadana kab kayong utara")
    assert district.codes == (SUKADANA_DISTRICT,)


def test_two_places_in_order(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "bandingkan ketapang sama kayong utara") == [
        (KETAPANG,),
        (KAYONG_UTARA,),
    ]
    assert codes(place_finder, "bandingkan ketapang dengan 61.11") == [
        (KETAPANG,),
        (KAYONG_UTARA,),
    ]
    assert codes(place_finder, "bandingkan 61.11 dengan ketapang") == [
        (KAYONG_UTARA,),
        (KETAPANG,),
    ]


def test_a_small_gazetteer_builds_the_same_way() -> None:
    regions = [
        Region(code="61", name="Kalimantan Barat", level="province", parent_code=None),
        Region(code="61.04", name="Kabupaten Ketapang", level="regency", parent_code="61"),
    ]
    finder = RegionFinder.from_regions(regions, load_vocabulary())
    assert finder.find("cakupan ktp") == [PlaceMention("ktp", ("61.04",))]
    assert finder.find("kalbar") == [PlaceMention("kalbar", ("61",))]
    # aliases of regions that are not in the gazetteer are ignored
    assert finder.find("jabar") == []


def test_a_village_named_after_desa_saya(place_finder: RegionFinder) -> None:
    (mention,) = place_finder.find("desa saya sutera kayong utara")
    assert mention == PlaceMention("desa sutera kayong utara", (SUTERA,))
    assert codes(place_finder, "target desa kami Sutera") == [(SUTERA,)]
    # what follows "desa saya" must be a name spelled exactly, not an everyday word
    assert codes(place_finder, "desa saya sutera berapa targetnya") == [(SUTERA,)]
    nothing = (
        "desa saya dapat berapa",
        "desa saya maju",
        "desa saya mau daftar",
        "desa saya sedang",
        "desa saya pulau mau tanya",  # a village name, but a sentence goes on: not a name
    )
    for text in nothing:
        assert place_finder.find(text) == [], text


def test_a_dropped_schwa_after_a_cue(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "target desa sutra") == [(SUTERA,)]
    assert codes(place_finder, "desa saya sutra kayong utara") == [(SUTERA,)]
    # without a cue the word stays a word
    assert place_finder.find("beli kain sutra di pasar") == []


def test_a_village_not_in_the_named_regency_keeps_the_regency(
    place_finder: RegionFinder,
) -> None:
    # no village Sukadana in Kayong Utara: the district Sukadana there, not 22 villages elsewhere
    assert codes(place_finder, "target desa sukadana kayong utara") == [(SUKADANA_DISTRICT,)]
    # a name found nowhere in that region stays two mentions
    assert codes(place_finder, "desa sutera ketapang") == [(SUTERA,), (KETAPANG,)]


def test_kab_bogor_is_the_regency(place_finder: RegionFinder) -> None:
    assert codes(place_finder, "cakupan kab bogor") == [("32.01",)]


def test_a_message_and_its_sentences_find_what_a_fresh_finder_finds() -> None:
    """Bare names found once are kept per window of words: reading a message's sentences
    after the whole message (as the understander does) changes nothing."""
    regions = [
        Region(code="19", name="Kepulauan Bangka Belitung", level="province", parent_code=None),
        Region(code="19.04", name="Kabupaten Bangka Tengah", level="regency", parent_code="19"),
        Region(code="61", name="Kalimantan Barat", level="province", parent_code=None),
        Region(code="61.04", name="Kabupaten Ketapang", level="regency", parent_code="61"),
        Region(code="61.11", name="Kabupaten Kayong Utara", level="regency", parent_code="61"),
    ]
    message = (
        "saya kades di kabupaten kayong utara, desa kami peringkat berapa? "
        "terus cakupan ketapnag tahun lalu berapa persen"
    )
    sentences = [
        *message.split("? "),
        "ketapnag",
        "kayong utara ketapang",
        message,
        "saya tinggal dekat ketapnag",  # long, no cue: a typo is not forgiven...
        "ketapnag",  # ...alone it is: the same last words, read otherwise
        "kepulauan bangka belitung",  # names sharing their first words
        "kepulauan bangka tengah",
        "bangka tengah",
        "bangka tengah ya",
    ]
    used = RegionFinder.from_regions(regions, load_vocabulary())
    used.find(message)
    for text in sentences:
        fresh = RegionFinder.from_regions(regions, load_vocabulary())
        assert used.find(text) == fresh.find(text), text
    assert [m.codes for m in used.find(message)] == [("61.11",), ("61.04",)]


def test_what_the_finder_keeps_is_bounded_and_forgettable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder_module, "_FREE_CACHE", 2)
    regions = [
        Region(code="61", name="Kalimantan Barat", level="province", parent_code=None),
        Region(code="61.04", name="Kabupaten Ketapang", level="regency", parent_code="61"),
    ]
    used = RegionFinder.from_regions(regions, load_vocabulary())
    fresh = RegionFinder.from_regions(regions, load_vocabulary())
    texts = ["ketapang", "cakupan ketapnag", "kalbar", "ketapang", "kalbar ketapang"]
    for text in texts * 2:
        assert used.find(text) == fresh.find(text), text
        assert used._free_in.cache_info().currsize <= 2
    used.forget()
    assert used._free_in.cache_info().currsize == 0
    assert used.find("ketapang") == fresh.find("ketapang")
