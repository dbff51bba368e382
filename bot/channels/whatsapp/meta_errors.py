"""Meta's error blocks, as log lines and delivery-failure details: code, title, message,
details. Never a phone number: long digit runs in Meta's text are masked."""

from __future__ import annotations

import logging
import re

log = logging.getLogger("bot.channels.whatsapp")

_LONG_NUMBER = re.compile(r"\+?\d{8,}")  # phone numbers; error codes have at most 6 digits
_MAX_TEXT = 200


def masked(text: object) -> str:
    """Meta's text, one line, shortened, with phone numbers replaced by `***`."""
    if not isinstance(text, str | int):
        return ""
    return _LONG_NUMBER.sub("***", " ".join(str(text).split()))[:_MAX_TEXT]


def log_error_blocks(where: str, errors: object) -> None:
    """One warning per entry of a webhook `errors` list (`where`: "webhook" or "status")."""
    if not isinstance(errors, list):
        return
    for error in errors:
        if not isinstance(error, dict):
            continue
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else data
        log.warning(
            "WhatsApp %s error: code %s, title %r, message %r, details %r",
            where,
            masked(error.get("code")) or "?",
            masked(error.get("title")),
            masked(error.get("message")),
            masked(details),
        )


def cause(code: int, message: str | None, details: str | None) -> str:
    """A `DeliveryFailed` detail that keeps the platform's code and its reason."""
    reason = masked(details or message)
    return f"code {code}: {reason}" if reason else f"code {code}"
