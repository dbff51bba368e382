from __future__ import annotations

import logging

import pytest

from bot.channels.whatsapp.meta_errors import cause, log_error_blocks, masked


def test_phone_numbers_in_meta_text_are_masked_and_codes_kept() -> None:
    assert masked("Recipient +6281234567890 is not\n a valid user (#131026)") == (
        "Recipient *** is not a valid user (#131026)"
    )
    assert masked(None) == "" and masked(["x"]) == ""
    assert len(masked("x" * 500)) == 200


def test_cause_keeps_code_and_reason() -> None:
    assert cause(131026, "(#131026) Message undeliverable", "Message Undeliverable.") == (
        "code 131026: Message Undeliverable."
    )
    assert cause(100, "(#100) Invalid parameter", None) == "code 100: (#100) Invalid parameter"
    assert cause(1, "", None) == "code 1"


def test_odd_error_blocks_are_logged_as_far_as_they_go(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp"):
        log_error_blocks("webhook", "not a list")
        log_error_blocks("webhook", ["not a dict", {"title": "Only a title", "error_data": 7}])
    assert [r.getMessage() for r in caplog.records] == [
        "WhatsApp webhook error: code ?, title 'Only a title', message '', details '7'"
    ]
