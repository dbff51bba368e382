"""Folding names for matching: the same form for typed text and gazetteer names."""

from __future__ import annotations

from bot.regions.names import cue_level, fold, query_names, search_name, short_name


def test_fold_drops_case_accents_and_punctuation() -> None:
    assert fold("  Kab.  KETAPANG ") == "kab ketapang"
    assert fold("Ma'rang-Jaya") == "marang jaya"
    assert fold("Sêrang") == "serang"


def test_regencies_are_stored_without_their_kind() -> None:
    assert search_name("Kabupaten Kayong Utara", "regency") == "kayong utara"
    assert search_name("Kota Administrasi Jakarta Selatan", "regency") == "jakarta selatan"
    # a district that is called "Kota ..." keeps its name
    assert search_name("Kota Sigli", "district") == "kota sigli"
    assert short_name("Kabupaten Administrasi Kepulauan Seribu") == "Kepulauan Seribu"


def test_typed_cue_words_are_optional() -> None:
    assert query_names("Kab. Ketapang") == ["kab ketapang", "ketapang"]
    assert query_names("desa Sutera") == ["desa sutera", "sutera"]
    assert query_names("Sutera") == ["sutera"]


def test_cue_level() -> None:
    assert cue_level("desa Sutera") == "village"
    assert cue_level("kec. sukadana") == "district"
    assert cue_level("kota bogor") == "regency"
    assert cue_level("prov kalbar") == "province"
    assert cue_level("ketapang") is None
    assert cue_level("desa") is None
