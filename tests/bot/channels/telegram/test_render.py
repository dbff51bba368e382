"""Rendering rules: text splits in UTF-16 units, button rows, callback data size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.render import (
    MAX_CALLBACK_BYTES,
    button_rows,
    fits_callback,
    split_text,
    utf16_len,
)
from bot.domain.messages import Button


def test_short_text_is_one_piece() -> None:
    assert split_text("  Halo  ") == ["Halo"]
    assert split_text("") == []


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    text = "a" * 60 + "\n\n" + "b" * 30 + "\n" + "c" * 30
    assert split_text(text, limit=100) == ["a" * 60, "b" * 30 + "\n" + "c" * 30]
    assert split_text("kata " * 30, limit=20)[0] == "kata kata kata kata"


def test_emoji_count_twice_and_are_never_cut_in_half() -> None:
    text = "😀" * 10
    pieces = split_text(text, limit=5)
    assert pieces == ["😀😀", "😀😀", "😀😀", "😀😀", "😀😀"]
    assert utf16_len("😀") == 2


@given(st.text(min_size=1, max_size=400), st.integers(min_value=2, max_value=60))
def test_pieces_fit_and_keep_every_word(text: str, limit: int) -> None:
    pieces = split_text(text, limit=limit)
    assert all(0 < utf16_len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_callback_data_is_measured_in_bytes() -> None:
    assert fits_callback("help")
    assert not fits_callback("é" * 33)  # 66 bytes in UTF-8
    assert fits_callback("x" * MAX_CALLBACK_BYTES)
    assert not fits_callback("~abc")  # reserved for stored payloads


def test_short_titles_share_rows_long_ones_stand_alone() -> None:
    buttons = [Button(title=t, payload=t) for t in ("JHT", "JKK", "Cakupan wilayah", "JKM")]
    rows = button_rows(buttons)
    assert [[b.title for b in row] for row in rows] == [
        ["JHT", "JKK"],
        ["Cakupan wilayah"],
        ["JKM"],
    ]
