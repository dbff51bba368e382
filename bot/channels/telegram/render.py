"""Telegram rendering rules without network: safe text splits, button rows, callback data.

Telegram counts text length in UTF-16 code units (an emoji counts twice) and callback_data
in UTF-8 bytes, so both are measured that way here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.i18n import N_
from bot.domain.messages import Button

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
STORED_CALLBACK_PREFIX = "~"  # callback_data "~<key>": the payload was too long, look it up
MAX_BUTTONS_PER_ROW = 2
SHORT_TITLE = 14  # titles up to this length share a row; longer ones get a row of their own

# The command menu Telegram shows next to the text field (description keys in telegram.po).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("telegram.command.start")),
    ("menu", N_("telegram.command.menu")),
    ("bahasa", N_("telegram.command.bahasa")),
    ("langganan", N_("telegram.command.langganan")),
    ("berhenti", N_("telegram.command.berhenti")),
    ("desa", N_("telegram.command.desa")),
    ("bantuan", N_("telegram.command.bantuan")),
    ("datasaya", N_("telegram.command.datasaya")),
    ("hapusdata", N_("telegram.command.hapusdata")),
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fitting_prefix(text: str, limit: int) -> int:
    """The number of characters at the start of `text` within `limit` UTF-16 units."""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at a paragraph, line or word if possible."""
    pieces: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        cut = max(_fitting_prefix(rest, limit), 1)
        head = rest[:cut]
        at = -1
        for separator in ("\n\n", "\n", " "):
            at = head.rfind(separator)
            if at >= cut // 2:
                break
        if at < cut // 2:
            at = cut  # one very long word: cut it at the limit
        piece = rest[:at].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[at:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def fits_callback(payload: str) -> bool:
    """Whether a payload can travel as callback_data itself."""
    return 0 < len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES and not payload.startswith(
        STORED_CALLBACK_PREFIX
    )


def button_rows(buttons: Sequence[Button]) -> list[list[Button]]:
    """Short titles two to a row, long ones alone: readable on small screens."""
    rows: list[list[Button]] = []
    row: list[Button] = []
    for button in buttons:
        if len(button.title) > SHORT_TITLE:
            if row:
                rows.append(row)
                row = []
            rows.append([button])
            continue
        row.append(button)
        if len(row) == MAX_BUTTONS_PER_ROW:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows
