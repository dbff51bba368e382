"""Logging setup: one JSON line per event, secrets and personal numbers redacted.

Every record becomes `{"ts", "level", "logger", "event", ...extra fields}` on one line.
Whatever a module logs, the output never holds a configured secret, a Telegram-style token,
a phone number, a NIK or any other run of nine or more digits (KPJ numbers, bank accounts).
People are named by `user_ref(channel, external_id)`, a keyed hash, never by their id.
Message text of a worker is not logged at all by the core; if a module does, the numbers in it
are still redacted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets as secrets_module
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

REDACTED_SECRET = "***"  # noqa: S105 (the mask, not a password)
REDACTED_NUMBER = "<number>"

# A bot token as Telegram issues it ("123456:AA..."), also inside Bot API URLs.
_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
# Nine or more digits, optionally after "+" and split by single spaces, dots or dashes:
# 081234567890, +62 812-3456-7890, 3201234567890001 (NIK), 12345678901 (KPJ).
# Not followed by ":" so that "2026-11-23 10:40" stays readable.
_LONG_NUMBER = re.compile(r"(?<![\w+])\+?\d(?:[ .\-]?\d){8,}(?![\w:])")

# Attributes every LogRecord has; anything else was passed through `extra=` and is printed.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}

_hash_key: bytes = secrets_module.token_bytes(32)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the given secrets, tokens and long numbers (phone, NIK, KPJ)."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED_SECRET)
    text = _TOKEN.sub(REDACTED_SECRET, text)
    return _LONG_NUMBER.sub(REDACTED_NUMBER, text)


def user_ref(channel: str, external_id: str) -> str:
    """A stable pseudonym for a person in logs: 12 letters, not reversible without the key.

    The key is derived from the configured secrets (stable across restarts) or random per
    process when there are none. Letters only, so number redaction never touches it.
    """
    digest = hmac.new(_hash_key, f"{channel}:{external_id}".encode(), hashlib.sha256).digest()
    return "".join(chr(ord("a") + byte % 26) for byte in digest[:12])


class RedactingFilter(logging.Filter):
    """Redacts the message and every string field of a record before any handler sees it."""

    def __init__(self, secrets: Iterable[str]):
        super().__init__()
        self._secrets = tuple(s for s in secrets if len(s) >= 4)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message, self._secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, redact(value, self._secrets))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; exceptions are folded into the same line."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self._secrets = tuple(s for s in secrets if len(s) >= 4)

    def format(self, record: logging.LogRecord) -> str:
        # Redacted here too (tracebacks, fields), whichever filters the handler has.
        document: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": redact(record.getMessage(), self._secrets),
        }
        for name, value in vars(record).items():
            if name in _STANDARD or name in document:
                continue
            if isinstance(value, bool | float) or (isinstance(value, int) and abs(value) < 10**8):
                document[name] = value
            else:
                document[name] = redact(str(value), self._secrets)
        if record.exc_info:
            document["exc"] = redact(self.formatException(record.exc_info), self._secrets)
        return json.dumps(document, ensure_ascii=False)


def setup_logging(level: str, secrets: Iterable[str] = (), stream: TextIO | None = None) -> None:
    """JSON lines on stderr (journald and `docker logs` keep them), redacted, quiet libraries."""
    global _hash_key
    kept = tuple(s for s in secrets if s)
    if kept:
        _hash_key = hashlib.sha256("\n".join(sorted(kept)).encode()).digest()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(kept))
    handler.addFilter(RedactingFilter(kept))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in (
        "httpx",
        "httpcore",
        "telegram",
        "apscheduler",
        "aiosqlite",
        "psycopg",  # psycopg.pool: connection events (the URL's password is never logged)
        "pywa",
        "matplotlib",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
