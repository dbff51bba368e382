"""Broadcast pacing and template settings, as the sender and the preview need them.

Built from `Settings` wherever it is needed: the sender (`runtime`), the CLI, and the chat
preview, which reads the settings from its handler context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import (
    DEFAULT_BROADCAST_RETRY_SECONDS,
    Settings,
)
from bot.config import (
    DEFAULT_TELEGRAM_BROADCAST_RATE as DEFAULT_TELEGRAM_RATE,
)
from bot.config import (
    DEFAULT_WHATSAPP_BROADCAST_RATE as DEFAULT_WHATSAPP_RATE,
)


def _default_rates() -> dict[str, float]:
    return {"telegram": DEFAULT_TELEGRAM_RATE, "whatsapp": DEFAULT_WHATSAPP_RATE}


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastConfig:
    rates: dict[str, float] = field(default_factory=_default_rates)  # messages per second
    window: int = 32  # rows in flight per channel: the most that a crash can duplicate
    retry_seconds: float = DEFAULT_BROADCAST_RETRY_SECONDS  # transient failures retried this long
    poll_seconds: float = 1.0
    backoff_seconds: float = 0.5  # first retry delay after a 5xx/network error; doubles
    backoff_max_seconds: float = 300.0  # ...up to this (or the platform's `retry_after`)
    template_name: str | None = None
    template_language: str = "id"
    template_max_chars: int = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> BroadcastConfig:
        return cls(
            rates={
                "telegram": settings.telegram_broadcast_rate,
                "whatsapp": settings.whatsapp_broadcast_rate,
            },
            window=settings.broadcast_window,
            retry_seconds=settings.broadcast_retry_seconds,
            poll_seconds=settings.broadcast_poll_seconds,
            template_name=settings.whatsapp_broadcast_template,
            template_language=settings.whatsapp_broadcast_template_language,
            template_max_chars=settings.whatsapp_broadcast_template_max_chars,
        )

    def rate(self, channel: str) -> float:
        return self.rates.get(channel, 1.0)
