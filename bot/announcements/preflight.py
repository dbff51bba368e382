"""Preflight: check an announcement against every target channel's limits before any send.

Limits (see ../shared/guide/platform.md and the platforms' docs):
- Telegram `sendMessage` text: 1-4,096 characters after entity parsing; Telegram counts
  UTF-16 code units, so an emoji may count twice. Callback data: 1-64 bytes.
- WhatsApp Cloud API text message body: 4,096 characters; reply-button titles: 20 characters,
  at most 3 buttons; interactive message body: 1,024 characters.
- WhatsApp template body: 1,024 characters including the template's own text, and a text
  parameter may hold no line break, tab or more than 4 consecutive spaces (error 132018);
  the sender therefore joins lines with spaces (`template_parameter`), and
  `JAMSOS_WHATSAPP_BROADCAST_TEMPLATE_MAX_CHARS` says how much room the template leaves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.domain.messages import Reply

TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CALLBACK_BYTES = 64
WHATSAPP_TEXT_MAX = 4096
WHATSAPP_INTERACTIVE_BODY_MAX = 1024
WHATSAPP_BUTTON_TITLE_MAX = 20
WHATSAPP_BUTTONS_MAX = 3

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a message cannot go out; `key` is the staff-facing message."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def template_parameter(text: str) -> str:
    """The announcement as a WhatsApp template parameter: one line, single spaces."""
    return _SPACES.sub(" ", text).strip()


def _check_telegram(locale: str, reply: Reply) -> list[Problem]:
    problems = []
    length = telegram_length(reply.text)
    if length > TELEGRAM_TEXT_MAX:
        problems.append(
            Problem(
                "staff.preflight.too_long",
                {"channel": "Telegram", "locale": locale, "length": length, "limit": 4096},
            )
        )
    for button in reply.buttons:
        if not 1 <= len(button.payload.encode()) <= TELEGRAM_CALLBACK_BYTES:
            problems.append(Problem("staff.preflight.button_data", {"label": button.title}))
    return problems


def _check_whatsapp(locale: str, reply: Reply) -> list[Problem]:
    problems = []
    limit = WHATSAPP_INTERACTIVE_BODY_MAX if reply.buttons else WHATSAPP_TEXT_MAX
    if len(reply.text) > limit:
        problems.append(
            Problem(
                "staff.preflight.too_long",
                {
                    "channel": "WhatsApp",
                    "locale": locale,
                    "length": len(reply.text),
                    "limit": limit,
                },
            )
        )
    if len(reply.buttons) > WHATSAPP_BUTTONS_MAX:
        problems.append(Problem("staff.preflight.too_many_buttons", {"count": len(reply.buttons)}))
    for button in reply.buttons:
        if len(button.title) > WHATSAPP_BUTTON_TITLE_MAX:
            problems.append(Problem("staff.preflight.button_label", {"label": button.title}))
    return problems


def preflight(
    replies: Mapping[str, Reply],
    channels: Iterable[str],
    *,
    template_needed: bool = False,
    template_name: str | None = None,
    template_max_chars: int = 1024,
) -> list[Problem]:
    """Every problem of the rendered message (per locale) on every channel it will use.

    `template_needed`: some WhatsApp recipients are outside the 24-hour window, so the
    announcement also travels as a template parameter (with no template configured they
    cannot be reached at all: the preview warns, see `bot.announcements.plan`).
    """
    problems: list[Problem] = []
    targets = set(channels)
    for locale, reply in replies.items():
        if not reply.text.strip():
            problems.append(Problem("staff.preflight.empty", {"locale": locale}))
            continue
        if "telegram" in targets:
            problems.extend(_check_telegram(locale, reply))
        if "whatsapp" in targets:
            problems.extend(_check_whatsapp(locale, reply))
            if template_needed and template_name:
                parameter = template_parameter(reply.text)
                if len(parameter) > template_max_chars:
                    problems.append(
                        Problem(
                            "staff.preflight.template_too_long",
                            {
                                "locale": locale,
                                "length": len(parameter),
                                "limit": template_max_chars,
                            },
                        )
                    )
    return problems
