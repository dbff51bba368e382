"""`channel:external_id` written and read in one place."""

from __future__ import annotations

from bot.domain.addresses import Address, address_of, parse_address


def test_an_address_round_trips() -> None:
    assert address_of("telegram", "12345") == "telegram:12345"
    assert parse_address("telegram:12345") == Address("telegram", "12345")
    assert str(parse_address(" WhatsApp:6281234 ")) == "whatsapp:6281234"


def test_a_bad_address_is_none() -> None:
    for text in ("", "telegram", "telegram:", ":123", "telegram:12 34"):
        assert parse_address(text) is None, text
