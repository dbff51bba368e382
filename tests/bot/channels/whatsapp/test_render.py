"""Reply lists into Cloud API message parts, within WhatsApp's limits."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.whatsapp.render import (
    ButtonsPart,
    ImagePart,
    ListPart,
    TextPart,
    render,
    split_text,
)
from bot.domain.messages import Button, Image, Reply


def buttons(count: int, title: str = "Pilihan") -> tuple[Button, ...]:
    return tuple(Button(title=f"{title} {i}", payload=f"p{i}") for i in range(1, count + 1))


def rendered(*replies: Reply) -> list[object]:
    return list(render(replies, list_label="Pilih", menu_hint="Balas nomor.").parts)


def test_plain_text_is_one_text_message() -> None:
    assert rendered(Reply(text="Halo")) == [TextPart("Halo")]


def test_up_to_three_choices_are_reply_buttons_with_short_titles() -> None:
    long = Button(title="Cara klaim Jaminan Hari Tua online", payload="jht_claim")
    [part] = rendered(Reply(text="Pilih:", buttons=(*buttons(2), long)))

    assert isinstance(part, ButtonsPart)
    assert [b.payload for b in part.buttons] == ["p1", "p2", "jht_claim"]
    assert all(len(b.title) <= 20 for b in part.buttons)
    assert part.buttons[2].title.endswith("…")


def test_four_to_ten_choices_are_a_list() -> None:
    for count in (4, 10):
        [part] = rendered(Reply(text="Topik:", buttons=buttons(count)))
        assert isinstance(part, ListPart)
        assert part.label == "Pilih"
        assert [row.payload for row in part.rows] == [f"p{i}" for i in range(1, count + 1)]


def test_a_long_list_title_keeps_its_full_text_in_the_description() -> None:
    title = "Iuran peserta bukan penerima upah per bulan"
    [part] = rendered(
        Reply(text="Topik:", buttons=(*buttons(3), Button(title=title, payload="x")))
    )

    assert isinstance(part, ListPart)
    row = part.rows[-1]
    assert len(row.title) <= 24 and row.description == title


def test_more_than_ten_choices_are_a_numbered_menu() -> None:
    result = render(
        [Reply(text="Semua topik:", buttons=buttons(12))],
        list_label="Pilih",
        menu_hint="Balas nomor.",
    )

    [part] = result.parts
    assert isinstance(part, TextPart)
    assert part.body.startswith("Semua topik:")
    assert "1. Pilihan 1" in part.body and "12. Pilihan 12" in part.body
    assert part.body.endswith("Balas nomor.")
    assert result.menu == tuple(f"p{i}" for i in range(1, 13))


def test_payloads_too_long_for_an_id_fall_back_to_a_numbered_menu() -> None:
    long_payload = "coverage_region?region=" + "9" * 300
    result = render(
        [Reply(text="x", buttons=(Button(title="A", payload=long_payload),))],
        list_label="Pilih",
        menu_hint="Balas nomor.",
    )
    assert result.menu == (long_payload,)


def test_an_image_goes_first_with_its_caption(tmp_path: Path) -> None:
    image = Image(path=tmp_path / "c.png", caption="Cakupan 2026")
    parts = rendered(Reply(text="Grafik", image=image))

    assert parts == [ImagePart(image, "Cakupan 2026"), TextPart("Grafik")]


def test_a_long_body_with_buttons_sends_the_start_as_text_first() -> None:
    text = "\n\n".join(["Paragraf " + "kata " * 150] * 3)  # about 2,300 characters
    parts = rendered(Reply(text=text, buttons=buttons(2)))

    assert isinstance(parts[-1], ButtonsPart)
    assert len(parts[-1].body) <= 1024
    assert all(isinstance(p, TextPart) for p in parts[:-1])


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=12_000))
def test_split_text_keeps_every_word_within_the_limit(text: str) -> None:
    chunks = split_text(text, 4096)

    assert all(0 < len(chunk) <= 4096 for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())  # nothing lost or moved


def test_choices_without_text_get_the_prompt_as_body() -> None:
    result = render(
        [Reply(text="", buttons=buttons(2))], list_label="Pilih", menu_hint="-", prompt="Pilih:"
    )

    [part] = result.parts
    assert isinstance(part, ButtonsPart) and part.body == "Pilih:"
