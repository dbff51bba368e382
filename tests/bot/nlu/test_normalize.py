from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.artefact import default_model
from bot.nlu.normalize import Normalizer, basic_normalize, load_slang


def normalize(text: str) -> str:
    return default_model().normalizer.normalize(text)


def test_basic_normalize_folds_width_case_and_punctuation() -> None:
    assert basic_normalize("ＧＡＪＩ  4,5JT!!! 🙏 https://x.id/a") == "gaji 4 5jt"


def test_slang_and_abbreviations_become_standard_words() -> None:
    assert normalize("brp iuran bpu sebulan") == "berapa iuran bpu sebulan"
    assert normalize("gmn cairin jht abis resign") == "bagaimana cair jht habis resign"
    assert normalize("sy ojol bisa ikut gak") == "saya ojek online bisa ikut tidak"
    assert normalize("klo udh phk dpt apa") == "kalau sudah phk dapat apa"


def test_discourse_particles_are_dropped() -> None:
    assert normalize("jht nya gimana sih dong") == "jht bagaimana"


def test_repeated_letters_are_squeezed_to_a_known_word() -> None:
    assert normalize("makasihhh bangettt") == "terima kasih banget"
    assert normalize("haloooo") == "halo"


def test_reduplication_and_digits_glued_to_words() -> None:
    assert normalize("anak2 sy") == "anak saya"
    assert normalize("gaji 3jt") == "gaji 3 juta"


def test_typos_are_corrected_towards_known_words() -> None:
    assert normalize("pencairn jht") == "cair jht"
    assert normalize("kecelakan kerja") == "kecelakaan kerja"
    assert normalize("ketenagakerjan") == "ketenagakerjaan"


def test_informal_suffixes_are_stripped_when_the_stem_is_known() -> None:
    assert normalize("iurannyaa brp") == "iuran berapa"
    assert normalize("daftarin stafnya") == "daftar staf"


def test_code_mixed_english_maps_to_indonesian() -> None:
    assert normalize("how much iuran for ojol") == "berapa iuran for ojek online"
    assert normalize("cara claim jht") == "cara klaim jht"


def test_unknown_short_words_are_left_alone() -> None:
    normalizer = Normalizer(load_slang(), ["sama", "gaji"])
    assert normalizer.normalize("sambas") == "sambas"
    assert normalizer.normalize("xq") == "xq"


def test_words_of_the_examples_are_known_and_never_corrected() -> None:
    """Common words ("mana", "atau", "lalu") stay; they are not slang keys' neighbours."""
    text = "mana lebih banyak atau tahun lalu kemarin"
    assert normalize(text) == text


def test_two_swapped_letters_are_one_typo() -> None:
    assert normalize("iruan jhtt") == "iuran jht"


def _basic_normalize_step_by_step(text: str) -> str:
    """The definition: NFKC and casefold, URLs, non-word runs, underscores, spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?:https?://|www\.)\S+", " ", text)
    text = re.sub(r"_+", " ", re.sub(r"[^\w]+", " ", text))
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=6),
            st.sampled_from(["http://x.id/a", "WWW.bpjs", "https", "__", " \t\n", "anak2", "4jt"]),
        ),
        max_size=8,
    )
)
def test_basic_normalize_is_its_step_by_step_definition(parts: list[str]) -> None:
    text = "".join(parts)
    assert basic_normalize(text) == _basic_normalize_step_by_step(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["anak2", "gaji", "4jt", "2", "jt4", "bpjs", "bangettt", "cairin", "x"]),
        max_size=10,
    )
)
def test_words_kept_per_word_change_nothing(words: list[str]) -> None:
    """Tokens of a fresh normalizer (nothing kept yet) and of the shared one are the same."""
    shared = default_model().normalizer
    fresh = Normalizer(load_slang(), shared.vocabulary)
    fresh.reserved = shared.reserved
    fresh.set_vocabulary(shared.vocabulary)
    text = " ".join(words)
    assert fresh.tokens(text) == shared.tokens(text)
    assert fresh.tokens(text, correct=False) == shared.tokens(text, correct=False)


_KNOWN = ["iuran", "iurannya", "pensiun", "pesangon", "ketenagakerjaan", "klaim", "kalim"]


def test_only_words_of_a_near_length_are_candidates() -> None:
    """Words more letters longer or shorter than the edit limit are more edits apart."""
    normalizer = Normalizer({}, _KNOWN)
    assert normalizer._choices_near(5) == ["iuran", "kalim", "klaim"]
    assert normalizer._choices_near(8) == ["iurannya", "pensiun", "pesangon"]
    assert normalizer._choices_near(14) == ["ketenagakerjaan"]
    assert normalizer.normalize("iruan pensiunn ketenagakerjan") == "iuran pensiun ketenagakerjaan"


@settings(max_examples=300, deadline=None)
@given(
    word=st.sampled_from(_KNOWN),
    at=st.integers(min_value=0, max_value=20),
    edit=st.sampled_from(["drop", "swap", "double", "a", "zz"]),
)
def test_a_typo_is_corrected_as_among_all_known_words(word: str, at: int, edit: str) -> None:
    at %= len(word)
    if edit == "drop":
        typo = word[:at] + word[at + 1 :]
    elif edit == "swap":
        typo = word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :]
    elif edit == "double":
        typo = word[: at + 1] + word[at:]
    else:
        typo = word[:at] + edit + word[at:]
    fast = Normalizer({}, _KNOWN)
    everything = Normalizer({}, _KNOWN)
    everything._choices_near = lambda length: everything._choices  # type: ignore[method-assign]
    assert fast.tokens(typo) == everything.tokens(typo)
