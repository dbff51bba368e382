"""`/healthz`: the database answers, and at least one chat channel is configured and built."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.delivery import Channel
    from bot.store import Store

log = logging.getLogger(__name__)

CHANNEL_NAMES = ("telegram", "whatsapp")
_DATABASE_TIMEOUT = 3.0  # seconds; SQLite's busy timeout is 5 s, a check must be quicker


@dataclass(frozen=True, slots=True, kw_only=True)
class Health:
    database: bool
    schema_version: int | None
    channels: dict[str, str] = field(default_factory=dict)  # name → running / off

    @property
    def ok(self) -> bool:
        return self.database and "running" in self.channels.values()

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "database": "ok" if self.database else "unreachable",
            "schema_version": self.schema_version,
            "channels": self.channels,
        }


async def check_health(store: Store, channels: Sequence[Channel]) -> Health:
    version: int | None = None
    try:
        version = await asyncio.wait_for(store.schema_version(), _DATABASE_TIMEOUT)
    except Exception:
        log.exception("health check: database unreachable", extra={"kind": "health.database"})
    running = {channel.name for channel in channels}
    return Health(
        database=version is not None,
        schema_version=version,
        channels={name: "running" if name in running else "off" for name in CHANNEL_NAMES},
    )
