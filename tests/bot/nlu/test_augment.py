"""Training data augmentation: typing slips and examples inside framing and a story."""

from __future__ import annotations

import random

from bot.domain.intents import Intent
from bot.nlu.augment import in_context, typos

CONTEXT = {
    "openings": ["selamat pagi min,"],
    "stories": ["saya sudah tanya hrd", "antrean di kantor panjang"],
    "closings": ["terima kasih"],
}


def test_each_question_is_learned_twice_inside_framing_and_story_never_a_greeting() -> None:
    pairs = [("cara cairin jht", Intent.JHT_CLAIM), ("halo", Intent.GREETING)]
    found = in_context(pairs, CONTEXT)
    assert [intent for _, intent in found] == [Intent.JHT_CLAIM, Intent.JHT_CLAIM]
    for text, _ in found:
        assert text.startswith("selamat pagi min,") and "cara cairin jht" in text
        assert "saya sudah tanya hrd" in text or "antrean di kantor panjang" in text
    assert in_context(pairs, {**CONTEXT, "closings": []}) == []  # no framing: nothing added
    assert in_context(pairs, CONTEXT) == found  # reproducible


def test_typos_slip_only_in_longer_words_and_are_reproducible() -> None:
    tokens = ["jht", "pencairan", "saldo", "kpj", "ketenagakerjaan"] * 4
    slipped = typos(tokens, random.Random(3))
    assert slipped == typos(tokens, random.Random(3))
    assert len(slipped) == len(tokens) and slipped != tokens
    for before, after in zip(tokens, slipped, strict=True):
        if len(before) <= 4:
            assert after == before
        else:
            assert abs(len(after) - len(before)) <= 1 and after[0] == before[0]
