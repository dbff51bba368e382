"""Settings: the only place that reads the environment (prefix JAMSOS_, optional .env)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Announcements: ≥ 90 % of each platform's documented cap (Telegram about 30 messages/s
# overall; WhatsApp Cloud API 80 messages/s per number); replies to users still go first
# (each channel's pacer serves them before bulk traffic). Transient failures (5xx, network)
# of an announcement are retried this long before the recipient is reported failed.
DEFAULT_TELEGRAM_BROADCAST_RATE = 28.0
DEFAULT_WHATSAPP_BROADCAST_RATE = 75.0
DEFAULT_BROADCAST_RETRY_SECONDS = 6 * 3600.0
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Where an admin address may point: `<channel>:<id>` (the dispatcher matches it exactly).
ADMIN_CHANNELS = ("telegram", "whatsapp", "console")
# A language tag as the catalogues are named (locales/<tag>/): id, en, jv.
_LOCALE_TAG = re.compile(r"^[a-z]{2,3}$")


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
    max_message_chars: int = Field(default=5000, gt=0)  # a long story with several questions

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
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
    whatsapp_messages_per_second: float = Field(default=80.0, gt=0)
    whatsapp_backoff_seconds: float = Field(default=1.0, ge=0)
    whatsapp_max_attempts: int = Field(default=5, ge=1)

    admins: Annotated[tuple[str, ...], NoDecode] = ()

    # Announcements (H7): broadcast messages per second per channel (just below the channel's
    # own cap: replies to users are paced first), rows in flight per channel (the most a
    # crash can repeat), how long transient failures are retried (seconds, default 6 hours),
    # how often the sender looks for due work, and the approved WhatsApp template for users
    # outside the 24-hour window (one body parameter).
    telegram_broadcast_rate: float = Field(default=DEFAULT_TELEGRAM_BROADCAST_RATE, gt=0)
    whatsapp_broadcast_rate: float = Field(default=DEFAULT_WHATSAPP_BROADCAST_RATE, gt=0)
    broadcast_window: int = Field(default=32, ge=1)
    broadcast_retry_seconds: float = Field(default=DEFAULT_BROADCAST_RETRY_SECONDS, gt=0)
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

    # Staff dashboard (issue 19, /dasbor): a login link from chat or the CLI is valid this
    # many minutes and opens once; a session ends after this many idle minutes; the login
    # route accepts this many attempts per minute from one address.
    dashboard_link_minutes: int = Field(default=10, ge=1, le=60)
    dashboard_idle_minutes: int = Field(default=30, ge=1)
    dashboard_login_per_minute: int = Field(default=10, ge=1)

    # Handover to staff (issue 16, docs/handover.md). New tickets are posted to the staff chat
    # ("telegram:-1001234567890") and to each staff member's own chat listed in `staff_direct`
    # ("telegram:123,whatsapp:6281..."). Answers are signed with `office_name`; office hours
    # ("08:00-16:00" local time) on the ISO weekdays `office_days` ("1-5" is Monday-Friday)
    # decide what the user is told about when an answer comes. A user writing again within
    # `handover_reopen_days` of an answer reopens the ticket. WhatsApp users outside the
    # 24-hour window get `handover_waiting_template` ("an answer is waiting", no parameter)
    # and the answer when they write, or the answer itself in `handover_answer_template`
    # (one body parameter) when that is set. Answered and closed tickets are deleted after
    # `ticket_retention_days` (0 keeps them).
    staff_chat: str | None = None
    staff_direct: Annotated[tuple[str, ...], NoDecode] = ()
    office_name: str = "BPJS Ketenagakerjaan"
    office_hours: str = Field(default="08:00-16:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    office_days: str = Field(default="1-5", pattern=r"^[1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*$")
    handover_reopen_days: int = Field(default=7, ge=0)
    handover_context_messages: int = Field(default=3, ge=0, le=20)
    handover_poll_seconds: float = Field(default=1.0, gt=0)
    handover_max_attempts: int = Field(default=5, ge=1)
    handover_waiting_template: str | None = None
    handover_answer_template: str | None = None
    handover_template_language: str = "id"
    ticket_retention_days: int = Field(default=365, ge=0)

    @field_validator("office_hours")
    @classmethod
    def _hours_in_order(cls, value: str) -> str:
        opens, _, closes = value.partition("-")
        if not ("00:00" <= opens < closes <= "23:59") or max(opens[3:], closes[3:]) > "59":
            raise ValueError("office hours must be HH:MM-HH:MM, opening before closing")
        return value

    @field_validator("admins", "staff_direct", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("admins")
    @classmethod
    def _admins_name_a_channel(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            channel, _, user = address.partition(":")
            if channel not in ADMIN_CHANNELS or not user:
                raise ValueError(
                    f"each admin is <channel>:<user id> with a channel of "
                    f"{', '.join(ADMIN_CHANNELS)} (got {address!r})"
                )
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale_tag(cls, value: str) -> str:
        tag = value.strip().lower().replace("_", "-").split("-")[0]
        if not _LOCALE_TAG.match(tag):
            raise ValueError(f"not a language code such as id, en or jv (got {value!r})")
        return tag

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta)") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"one of {', '.join(LOG_LEVELS)} (got {value!r})")
        return level

    @model_validator(mode="after")
    def _whatsapp_complete(self) -> Self:
        # A token without a phone number id used to leave WhatsApp off without a word.
        if (self.whatsapp_token is None) != (self.whatsapp_phone_id is None):
            raise ValueError(
                "JAMSOS_WHATSAPP_TOKEN and JAMSOS_WHATSAPP_PHONE_ID are needed together"
            )
        return self

    @property
    def database_path(self) -> Path:
        return self.data_dir / "jamsosbot.sqlite3"

    @property
    def dashboard_url(self) -> str:
        """Where staff open the dashboard: the public URL, else the local server."""
        base = self.public_url or f"http://{self.host}:{self.port}"
        return base.rstrip("/") + "/dasbor"

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


class CliLanguage(BaseSettings):
    """Only the language, read even when the rest of the configuration is invalid (so the
    command line can say what is wrong in the operator's language)."""

    model_config = SettingsConfigDict(
        env_prefix="JAMSOS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    default_locale: str = "id"
