"""Webhook signature and payload parsing (shapes from Meta's webhook reference)."""

from __future__ import annotations

import json
import logging
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.channels.whatsapp.webhook import (
    InboundMessage,
    MalformedWebhook,
    Sender,
    message_from_json,
    message_to_json,
    parse_webhook,
    sign,
    signature_valid,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "whatsapp"
PHONE_ID = "1122334455667"


def body(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    raw = body("text")
    header = sign(raw, "s3cret")

    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_valid(raw, header, "s3cret")
    assert not signature_valid(raw, header, "other")
    assert not signature_valid(raw + b" ", header, "s3cret")  # re-encoded JSON fails
    assert not signature_valid(raw, header.removeprefix("sha256="), "s3cret")


def test_text_message_with_both_identities() -> None:
    [message] = parse_webhook(body("text"), PHONE_ID).messages

    assert message.kind == "text" and message.text == "halo"
    assert message.sender == Sender(wa_id="6281234567890", bsuid="ID.1823648812734651123")
    assert message.sent_at is not None


def test_button_and_list_replies_carry_their_ids() -> None:
    [button] = parse_webhook(body("button_reply"), PHONE_ID).messages
    [listed] = parse_webhook(body("list_reply"), PHONE_ID).messages

    assert (button.payload, button.text) == ("help", "Menu")
    assert listed.payload == "subscribe"


def test_media_messages_keep_their_id_caption_and_name() -> None:
    [image] = parse_webhook(body("image"), PHONE_ID).messages
    [document] = parse_webhook(body("document"), PHONE_ID).messages

    assert (image.kind, image.media_id, image.text) == (
        "image",
        "1480935212944721",
        "ini kartu saya",
    )
    assert document.filename == "target desa.xlsx"


def test_a_user_with_a_username_has_only_a_business_scoped_id() -> None:
    [message] = parse_webhook(body("username_only"), PHONE_ID).messages

    assert message.sender == Sender(wa_id=None, bsuid="ID.5520019374628810042")


def test_statuses_with_error_codes() -> None:
    [failed] = parse_webhook(body("status_failed"), PHONE_ID).statuses
    [read] = parse_webhook(body("status_read"), PHONE_ID).statuses

    assert (failed.status, failed.error_code, failed.error_title) == (
        "failed",
        131026,
        "Message undeliverable",
    )
    assert (read.status, read.error_code) == ("read", None)


def test_other_phone_numbers_and_fields_are_skipped() -> None:
    assert parse_webhook(body("text"), "999").messages == []
    data: dict[str, Any] = json.loads(body("text"))
    data["entry"][0]["changes"][0]["field"] = "message_template_status_update"
    assert parse_webhook(json.dumps(data).encode(), PHONE_ID).messages == []


def test_reactions_are_parsed_but_need_no_answer() -> None:
    data: dict[str, Any] = json.loads(body("text"))
    message = data["entry"][0]["changes"][0]["value"]["messages"][0]
    message["type"] = "reaction"
    message["reaction"] = {"message_id": "wamid.OUT1", "emoji": "👍"}
    [parsed] = parse_webhook(json.dumps(data).encode(), PHONE_ID).messages

    assert parsed.ignored


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe",
        b"null",
        b'{"entry": {}}',
        b'{"entry": [{"changes": [1]}]}',
        b'{"entry": [{"changes": [{"field": "messages", "value": {"messages": {}}}]}]}',
    ],
)
def test_malformed_bodies(raw: bytes) -> None:
    with pytest.raises(MalformedWebhook):
        parse_webhook(raw, PHONE_ID)


def test_a_message_survives_its_stored_form() -> None:
    for name in ("text", "button_reply", "document", "username_only"):
        [message] = parse_webhook(body(name), PHONE_ID).messages
        assert message_from_json(message_to_json(message)) == message


def test_every_field_of_a_message_is_stored() -> None:
    """The stored form is written field by field: a field added later must be added there."""
    every_field = InboundMessage(
        wamid="wamid.X",
        sender=Sender(wa_id="628", bsuid="ID.1"),
        kind="document",
        text="impor target",
        payload="p",
        media_id="m",
        filename="f.csv",
        mime_type="text/csv",
        sent_at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
    )
    stored = json.loads(message_to_json(every_field))
    assert set(stored) == {field.name for field in fields(InboundMessage)}
    assert message_from_json(message_to_json(every_field)) == every_field


# --- issue 17: hostile and unusual bodies --------------------------------------------------


def _with_message(**changes: object) -> bytes:
    data = json.loads(body("text"))
    data["entry"][0]["changes"][0]["value"]["messages"][0].update(changes)
    return json.dumps(data).encode()


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    raw = body("text").replace(b'"halo"', b'"halo \\ud83d"')

    [message] = parse_webhook(raw, PHONE_ID).messages

    assert message.text == "halo \ufffd"
    message_to_json(message).encode("utf-8")  # storable


@pytest.mark.parametrize(
    "timestamp", ["99999999999999999999", "١٧٠٠٠٠٠٠٠٠", "-5", 1.5, None, ["1"], "253402300800"]
)
def test_an_unreadable_timestamp_is_dropped_not_fatal(timestamp: object) -> None:
    [message] = parse_webhook(_with_message(timestamp=timestamp), PHONE_ID).messages

    assert message.sent_at is None


def test_deep_nesting_is_malformed_not_a_crash() -> None:
    with pytest.raises(MalformedWebhook):
        parse_webhook(b"[" * 100_000 + b"]" * 100_000, PHONE_ID)


def test_a_status_of_the_wrong_type_or_a_bad_error_code_keeps_the_others() -> None:
    data = json.loads(body("status_failed"))
    statuses = data["entry"][0]["changes"][0]["value"]["statuses"]
    good = json.loads(json.dumps(statuses[0]))  # a deep copy
    statuses[0]["errors"][0]["code"] = 10**30
    statuses.append(dict(good, id="wamid.B", status={"x": 1}))
    statuses.append(dict(good, id="wamid.C", status=["read"]))
    statuses.append(dict(good, id="wamid.D", errors=[{"code": "١٣١٠٢٦"}]))
    statuses.append(dict(good, id="wamid.E"))

    parsed = parse_webhook(json.dumps(data).encode(), PHONE_ID).statuses

    assert [(s.wamid, s.error_code) for s in parsed] == [
        ("wamid.OUT1", None),
        ("wamid.D", None),
        ("wamid.E", 131026),
    ]


def test_a_template_quick_reply_is_read_as_its_label() -> None:
    raw = _with_message(type="button", button={"text": "Berhenti", "payload": "Berhenti"})

    [message] = parse_webhook(raw, PHONE_ID).messages

    assert (message.kind, message.text, message.payload) == ("button", "Berhenti", None)


@pytest.mark.parametrize("kind", ["revoke", "edit", "unsupported", "reaction"])
def test_deleted_edited_and_unsupported_messages_are_ignored(kind: str) -> None:
    [message] = parse_webhook(_with_message(type=kind), PHONE_ID).messages

    assert message.ignored


def test_request_welcome_is_not_ignored() -> None:
    [message] = parse_webhook(_with_message(type="request_welcome"), PHONE_ID).messages

    assert not message.ignored


def test_a_contact_for_another_number_is_not_merged_into_the_sender() -> None:
    raw = json.loads(_with_message(**{"from": "6289999999999"}))
    del raw["entry"][0]["changes"][0]["value"]["messages"][0]["from_user_id"]

    [message] = parse_webhook(json.dumps(raw).encode(), PHONE_ID).messages

    assert (message.sender.wa_id, message.sender.bsuid) == ("6289999999999", None)


def test_meta_error_blocks_are_logged_without_phone_numbers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp"):
        parse_webhook(body("meta_errors_value"), PHONE_ID)
        parse_webhook(body("status_failed"), PHONE_ID)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "WhatsApp webhook error: code 130429, title 'Rate limit hit',"
        " message '(#130429) Rate limit hit',"
        " details 'Cloud API message throughput has been reached.'",
        "WhatsApp status error: code 131026, title 'Message undeliverable',"
        " message 'Message undeliverable', details 'Message Undeliverable.'",
    ]
    recipient = json.loads(body("status_failed"))["entry"][0]["changes"][0]["value"]
    number = recipient["statuses"][0]["recipient_id"]
    assert number not in caplog.text and "6281100001111" not in caplog.text
