"""Logs: one JSON line per event; no token, phone number, NIK or worker text survives."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.app import App
from bot.core.dispatcher import Dispatcher
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming, Reply
from bot.logs import redact, setup_logging, user_ref
from handlers import ROUTERS

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
PHONES = ("081234567890", "+62 812-3456-7890", "6281234567890", "0812 3456 7890")
NIK = "3201234567890001"
KPJ = "12345678901"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging("INFO", [TOKEN], stream=stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize("number", [*PHONES, NIK, KPJ])
def test_redact_masks_phone_numbers_nik_and_kpj(number: str) -> None:
    assert number not in redact(f"nomor saya {number} tolong cek")
    assert "<number>" in redact(f"nomor saya {number}.")


def test_redact_keeps_ordinary_figures_and_times() -> None:
    text = "gaji 4500000, JHT 5,7 %, 2026-11-23 10:40, 175"
    assert redact(text) == text


def test_redact_removes_configured_secrets_and_token_shapes() -> None:
    assert "s3cret-value" not in redact("x s3cret-value y", ["s3cret-value"])
    assert TOKEN not in redact(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage")


def test_user_ref_is_stable_letters_only_and_not_the_id() -> None:
    ref = user_ref("whatsapp", "6281234567890")
    assert ref == user_ref("whatsapp", "6281234567890")
    assert ref != user_ref("whatsapp", "6281234567891")
    assert ref.isalpha() and len(ref) == 12
    assert redact(ref) == ref


async def test_messages_with_phone_and_nik_leave_no_trace_in_logs(
    app: App, log_stream: io.StringIO
) -> None:
    texts = [
        f"halo, nomor hp saya {PHONES[0]}",
        f"NIK saya {NIK} bagaimana cek saldo",
        f"hubungi {PHONES[1]} ya, kpj {KPJ}",
        "cuaca besok gimana",
    ]
    chat = ChatRef(channel="whatsapp", user_id="6281234567890", chat_id="6281234567890")
    for text in texts:
        replies = await app.dispatcher.handle(Incoming(chat=chat, text=text))
        assert replies
    logging.getLogger("httpx").warning("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)

    output = log_stream.getvalue()
    lines = _lines(log_stream)
    handled = [line for line in lines if line["event"] == "message handled"]
    assert len(handled) == len(texts)
    assert {line["channel"] for line in handled} == {"whatsapp"}
    assert {line["user"] for line in handled} == {user_ref("whatsapp", "6281234567890")}
    for secret in (*PHONES, NIK, KPJ, TOKEN, "6281234567890", "cuaca besok"):
        assert secret not in output
    assert "***" in output  # the token line was logged, redacted


async def test_a_crash_quoting_the_message_is_logged_redacted(
    app: App, log_stream: io.StringIO
) -> None:
    broken = Router("broken")

    @broken.intent(Intent.FALLBACK)
    async def explode(msg: Incoming, ctx: object) -> list[Reply]:
        raise RuntimeError(f"cannot answer {msg.text!r}")

    rest = [r for r in ROUTERS if Intent.FALLBACK not in r.intents]
    dispatcher = Dispatcher(
        store=app.store,
        understander=app.dispatcher.understander,
        catalogues=app.dispatcher.catalogues,
        routers=(broken, *rest),
    )
    chat = ChatRef(channel="telegram", user_id="555", chat_id="555")
    replies = await dispatcher.handle(Incoming(chat=chat, text=f"zzz {NIK} {PHONES[1]}"))
    assert replies
    errors = [line for line in _lines(log_stream) if line["level"] == "ERROR"]
    assert errors and "RuntimeError" in str(errors[0]["exc"])
    output = log_stream.getvalue()
    assert NIK not in output and PHONES[1] not in output


def test_every_line_is_one_json_event(log_stream: io.StringIO) -> None:
    log = logging.getLogger("bot.test")
    log.info("multi\nline event", extra={"count": 3, "note": f"nik {NIK}"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    lines = log_stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["event"] == "multi\nline event" and first["count"] == 3
    assert first["note"] == "nik <number>"
    assert second["level"] == "ERROR" and "ValueError: boom" in str(second["exc"])
