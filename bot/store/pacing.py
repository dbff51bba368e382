"""A platform's send cap shared by every worker on the database (one GCRA row per key).

One bot token or one WhatsApp number has one cap, whatever the number of workers sending
for it. Each send books the next slot of the key's row in one atomic statement (the row
lock orders concurrent workers) and learns how long to wait for it:

    tat  ←  max(tat, now) + 1/rate          (the theoretical arrival time of the next send)
    wait =  max(0, tat − 1/rate − tolerance − now),   tolerance = (burst − 1)/rate

`now` is the sender's wall clock (seconds since the epoch). Clocks a little apart between
machines only make the pace more careful: a fast clock books later slots, a slow one waits
longer for them; the cap is never exceeded by it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.store.database import Database


class PacingRepository:
    def __init__(self, db: Database):
        self._db = db

    @property
    def shared(self) -> bool:
        """Whether several processes may send on this database (PostgreSQL): then the caps
        are kept here; a SQLite bot is one process and paces in memory."""
        return self._db.several_processes

    async def reserve(
        self, key: str, rate: float, burst: int = 1, *, now: float | None = None
    ) -> float:
        """Book the next send slot of `key` (`rate`/s, bursts of `burst`); returns the
        seconds to wait for it (0: send now)."""
        interval = 1.0 / rate
        moment = time.time() if now is None else now
        row = await self._db.write_returning(
            "INSERT INTO pacing (key, tat) VALUES (:key, :now + :interval)"
            " ON CONFLICT (key) DO UPDATE SET tat = max(pacing.tat, :now) + :interval"
            " RETURNING tat",
            {"key": key, "now": moment, "interval": interval},
        )
        if row is None:
            raise RuntimeError("pacing row not returned")
        tolerance = max(burst - 1, 0) * interval
        return max(0.0, float(row["tat"]) - interval - tolerance - moment)

    def limiter(self, key: str, rate: float, burst: int = 1) -> SharedCap | None:
        """The shared cap of `key` when the database is shared by processes, else None."""
        return SharedCap(self, key, rate, burst) if self.shared else None

    async def forget(self, key: str) -> None:
        await self._db.execute("DELETE FROM pacing WHERE key = ?", (key,))


class SharedCap:
    """One key's cap, as the pacers use it: `await cap.reserve()` → seconds to wait."""

    __slots__ = ("_burst", "_clock", "_key", "_rate", "_repository")

    def __init__(
        self,
        repository: PacingRepository,
        key: str,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.time,
    ):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._repository = repository
        self._key = key
        self._rate = rate
        self._burst = burst
        self._clock = clock

    @property
    def key(self) -> str:
        return self._key

    async def reserve(self) -> float:
        return await self._repository.reserve(
            self._key, self._rate, self._burst, now=self._clock()
        )
