"""Broadcast pacing and template settings, as the sender and the preview need them.

`App.create` publishes the configured values in the store (`meta`), so a chat preview (which
sees only the store) shows durations at the rates the running sender uses.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from bot.config import Settings
from bot.store import Store

META_KEY = "announcements.config"


def _default_rates() -> dict[str, float]:
    return {"telegram": 25.0, "whatsapp": 20.0}


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastConfig:
    rates: dict[str, float] = field(default_factory=_default_rates)  # messages per second
    window: int = 32  # rows in flight per channel: the most that a crash can duplicate
    max_attempts: int = 5  # transient failures (5xx, network) before a row is failed
    poll_seconds: float = 1.0
    backoff_seconds: float = 0.5  # first retry delay after a 5xx/network error; doubles
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
            max_attempts=settings.broadcast_max_attempts,
            poll_seconds=settings.broadcast_poll_seconds,
            template_name=settings.whatsapp_broadcast_template,
            template_language=settings.whatsapp_broadcast_template_language,
            template_max_chars=settings.whatsapp_broadcast_template_max_chars,
        )

    def rate(self, channel: str) -> float:
        return self.rates.get(channel, 1.0)


async def publish_config(store: Store, config: BroadcastConfig) -> None:
    await store.meta.set(META_KEY, json.dumps(asdict(config), sort_keys=True))


async def load_config(store: Store) -> BroadcastConfig:
    """The published configuration, or the defaults when nothing was published."""
    raw = await store.meta.get(META_KEY)
    if raw is None:
        return BroadcastConfig()
    try:
        data = json.loads(raw)
        return BroadcastConfig(
            rates={str(k): float(v) for k, v in data["rates"].items()},
            window=int(data["window"]),
            max_attempts=int(data["max_attempts"]),
            poll_seconds=float(data["poll_seconds"]),
            backoff_seconds=float(data["backoff_seconds"]),
            template_name=data["template_name"],
            template_language=str(data["template_language"]),
            template_max_chars=int(data["template_max_chars"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return BroadcastConfig()
