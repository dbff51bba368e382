"""Settings: the only place that reads the environment (prefix JAMSOS_, optional .env)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(user_data_dir("jamsosbot", appauthor=False))


class Settings(BaseSettings):
    """Every setting, documented in deploy/env.example and the README."""

    model_config = SettingsConfigDict(
        env_prefix="JAMSOS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    # PostgreSQL for several workers (postgresql://user:password@host:5432/jamsos); unset:
    # SQLite in data_dir (one process). A secret: it may carry the password.
    database_url: SecretStr | None = None
    # Connections per pool per process on PostgreSQL (reads, write jobs; see docs/scale.md).
    database_pool_size: int = Field(default=8, ge=1)
    default_locale: str = "id"
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"
    max_message_chars: int = 1000

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_secret: SecretStr | None = None
    # Telegram: overall messages per second (Telegram asks for about 30; H5).
    telegram_max_rate: float = Field(default=30.0, gt=0)

    whatsapp_token: SecretStr | None = None
    whatsapp_phone_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_url: str = "https://graph.facebook.com"
    whatsapp_api_version: str = "23.0"
    # WhatsApp sending pace (Cloud API default throughput: 80 messages/s per number) and the
    # first back-off delay after a rate-limit error (130429, 131056); it grows per retry.
    whatsapp_messages_per_second: float = 80.0
    whatsapp_backoff_seconds: float = 1.0
    whatsapp_max_attempts: int = 5

    admins: Annotated[tuple[str, ...], NoDecode] = ()

    # Announcements (H7): broadcast messages per second per channel (kept below the channel's
    # own cap so replies to users still get through), rows in flight per channel (the most a
    # crash can repeat), transient retries, how often the sender looks for due work, and the
    # approved WhatsApp template for users outside the 24-hour window (one body parameter).
    telegram_broadcast_rate: float = Field(default=25.0, gt=0)
    whatsapp_broadcast_rate: float = Field(default=20.0, gt=0)
    broadcast_window: int = Field(default=32, ge=1)
    broadcast_max_attempts: int = Field(default=5, ge=1)
    broadcast_poll_seconds: float = Field(default=1.0, gt=0)
    whatsapp_broadcast_template: str | None = None
    whatsapp_broadcast_template_language: str = "id"
    whatsapp_broadcast_template_max_chars: int = Field(default=1024, ge=1, le=1024)

    # Operations (H8): logged questions older than this many days are deleted at start and
    # daily (0 keeps them forever); `facts check` flags facts older than this many days.
    log_retention_days: int = Field(default=180, ge=0)
    # Announcements/privacy: the staff audit log is kept longer than the message logs
    # (who announced what, who granted a role); 0 keeps it forever.
    audit_retention_days: int = Field(default=730, ge=0)
    fact_max_age_days: int = Field(default=365, gt=0)

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @property
    def database_path(self) -> Path:
        return self.data_dir / "jamsosbot.sqlite3"

    @property
    def database_target(self) -> Path | str:
        """What `Store.open` is given: the PostgreSQL URL when set, else the SQLite file."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return self.database_path

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_token is not None and self.whatsapp_phone_id is not None
