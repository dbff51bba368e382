"""Broadcast settings: default rates near each platform's cap, retries for hours."""

from __future__ import annotations

from pathlib import Path

from bot.announcements.config import BroadcastConfig
from bot.config import Settings


def test_default_rates_use_at_least_90_percent_of_each_platform_cap(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    config = BroadcastConfig.from_settings(settings)
    # Telegram: about 30 messages/s overall; WhatsApp Cloud API: 80 messages/s per number.
    assert settings.telegram_max_rate == 30.0 and settings.whatsapp_messages_per_second == 80.0
    assert 0.9 * 30.0 <= config.rate("telegram") < 30.0  # room left for replies
    assert 0.9 * 80.0 <= config.rate("whatsapp") < 80.0
    assert BroadcastConfig().rates == config.rates


def test_transient_failures_are_retried_for_hours_by_default(tmp_path: Path) -> None:
    config = BroadcastConfig.from_settings(Settings(data_dir=tmp_path, _env_file=None))
    assert config.retry_seconds >= 3600


def test_rates_and_retry_period_are_configurable(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        telegram_broadcast_rate=29.0,
        whatsapp_broadcast_rate=78.0,
        broadcast_retry_seconds=600.0,
    )
    config = BroadcastConfig.from_settings(settings)
    assert config.rates == {"telegram": 29.0, "whatsapp": 78.0}
    assert config.retry_seconds == 600.0
