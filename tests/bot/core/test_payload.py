"""Button payloads survive a round trip; anything else is refused, never guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.payload import BadPayload, decode, encode
from bot.domain.intents import Intent
from bot.domain.understanding import Slots


def test_round_trip_with_slots() -> None:
    slots = Slots(money=4_500_000, region="61.04", place="Sukadana")
    payload = encode(Intent.CONTRIBUTION_PU, slots)
    assert payload.isascii()
    assert decode(payload) == (Intent.CONTRIBUTION_PU, slots)


def test_intent_only_payload_is_its_id() -> None:
    assert encode(Intent.HELP) == "help"
    assert decode("help") == (Intent.HELP, Slots())


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "nonsense",
        "help?colour=red",
        "contribution_pu?money=banyak",
        "?money=1",
        "contribution_pu?money=%C2%B2",  # "²" passes str.isdigit() but is no number
    ],
)
def test_forged_or_stale_payloads_are_refused(payload: str) -> None:
    with pytest.raises(BadPayload):
        decode(payload)


@given(st.text(max_size=200))
def test_decoding_any_text_either_works_or_raises_bad_payload(text: str) -> None:
    try:
        intent, _ = decode(text)
    except BadPayload:
        return
    assert isinstance(intent, Intent)
