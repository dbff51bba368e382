"""Sentences, framing and asking sentences of messages as people write them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu import segments
from bot.nlu.segments import asking_clauses, asks, clauses, segment, sentences, without_framing


def test_sentences_split_on_punctuation_and_lines_but_not_inside_numbers() -> None:
    text = "Gaji saya Rp4.500.000 per bulan. Potongannya 4.5jt?\nTerus gimana!"
    assert sentences(text) == [
        "Gaji saya Rp4.500.000 per bulan.",
        "Potongannya 4.5jt?",
        "Terus gimana!",
    ]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("selamat pagi min, cara cairin jht gimana ya", "cara cairin jht gimana"),
        ("Assalamualaikum wr wb. admin", ""),
        ("halo kak mau tanya iuran bpu berapa", "iuran bpu berapa"),
        ("iuran saya kok belum masuk, mohon bantuannya min", "iuran saya kok belum masuk"),
        ("udah 3 minggu belum cair juga terima kasih", "udah 3 minggu belum cair juga"),
        (
            "Good morning, how do I register my workers? Thanks in advance",
            "how do I register my workers?",
        ),
        ("punten, kumaha carana daftar bpjs tk hatur nuhun", "kumaha carana daftar bpjs tk"),
        ("sore kak, maaf mengganggu waktunya, kpj saya hilang", "kpj saya hilang"),
        (
            "mohon maaf ganggu waktunya min, saldo jht bisa dicek di mana",
            "saldo jht bisa dicek di mana",
        ),
    ],
)
def test_framing_around_a_question_is_dropped(sentence: str, kept: str) -> None:
    assert without_framing(sentence) == kept


def test_a_message_of_framing_only_has_no_content() -> None:
    assert segment("Selamat siang min. Terima kasih banyak!").content == ""


def test_story_sentences_are_content_but_not_questions() -> None:
    found = segment(
        "Pagi min. Saya kerja di pabrik garmen 4 tahun lalu kontrak habis. "
        "Uangnya bisa diambil semua? Terus prosesnya berapa hari? Makasih."
    )
    assert found.parts == ("Uangnya bisa diambil semua?", "Terus prosesnya berapa hari?")
    assert found.content.startswith("Saya kerja di pabrik garmen")
    assert "Makasih" not in found.content and "Pagi" not in found.content


@pytest.mark.parametrize(
    ("sentence", "asking"),
    [
        ("saya sudah resign bulan lalu", False),
        ("kartu lama saya dinonaktifkan kemarin", False),
        ("jht saya bisa dicairkan", True),
        ("kapan dananya masuk", True),
        ("JHT-ku iso dijupuk ora", False),
        ("JHT-ku iso dijupuk ora?", True),
        ("how long does it take", True),
    ],
)
def test_asking_sentences_are_recognised(sentence: str, asking: bool) -> None:
    assert asks(sentence) is asking


def test_a_sentence_is_cut_into_clauses_where_a_new_question_starts() -> None:
    assert clauses("saya di pabrik, iuran berapa, terus daftarnya di mana") == [
        "saya di pabrik",
        "iuran berapa",
        "terus daftarnya di mana",
    ]
    assert clauses("apa dia wajib ikut dan bisa cairin saldonya nanti") == [
        "apa dia wajib ikut",
        "dan bisa cairin saldonya nanti",
    ]
    # "dan" inside one question, and a clause too short to stand alone, stay joined
    assert clauses("syarat dan dokumen klaim jht apa saja") == [
        "syarat dan dokumen klaim jht apa saja"
    ]
    assert clauses("ya, kalau resign bisa cair") == ["ya, kalau resign bisa cair"]


def test_only_a_sentence_asking_in_two_clauses_has_asking_clauses() -> None:
    assert asking_clauses("saya kerja di toko, gimana cara daftar") == []
    assert asking_clauses("iuran berapa, terus cara daftarnya gimana") == [
        "iuran berapa",
        "terus cara daftarnya gimana",
    ]


def test_ya_around_framing_is_framing_too() -> None:
    assert segment("Mohon bantuannya ya min. Ya min, terima kasih banyak sebelumnya").content == ""
    assert without_framing("cair berapa hari ya min") == "cair berapa hari"


_FRAME_WORDS = [
    "Terima",
    "kasih",
    "MIN",
    "min",
    "ya",
    "Mohon",
    "bantuannya",
    "cara",
    "Apa",
    "gimana",
    "jht",
    "ATAS",
    "infonya",
    "salam",
    "Wr",
    "wb",
    "Thanks",
    "you",
    "kak",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_FRAME_WORDS), st.text(alphabet="aKmn?_ .,!\n", max_size=3)),
        max_size=14,
    )
)
def test_ascii_text_lowercased_reads_as_the_caseless_expressions_do(parts: list[str]) -> None:
    text = " ".join(parts)
    assert segments._without_closing(text) == segments._TRAILING.sub("", text)
    assert asks(text) == ("?" in text or bool(segments._QUESTION_WORDS.search(text)))


@pytest.mark.parametrize("text", ["Terima kasih ÄDMIN", "cara cairin jht 🙏 MIN", "İ min"])
def test_other_text_is_read_by_the_caseless_expressions(text: str) -> None:
    assert segments._without_closing(text) == segments._TRAILING.sub("", text)


@pytest.mark.parametrize("pattern", [segments._TRAILING, segments._QUESTION_WORDS])
def test_the_caseless_expressions_have_no_capital_letters(pattern: re.Pattern[str]) -> None:
    """Lowercased text matched without IGNORECASE finds the same only if so."""
    letters = re.sub(r"\\[A-Za-z]", "", pattern.pattern)
    assert letters == letters.lower()
