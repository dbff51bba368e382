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

import asyncio
import logging
import time
from collections.abc import Callable

from bot.store.database import Database

log = logging.getLogger(__name__)


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
        return (await self.reserve_many(key, rate, burst, 1, now=now))[0]

    async def reserve_many(
        self, key: str, rate: float, burst: int, count: int, *, now: float | None = None
    ) -> list[float]:
        """Book the next `count` slots of `key` in one statement; the wait for each, in order
        (as `count` calls of `reserve` would, in one round trip)."""
        interval = 1.0 / rate
        moment = time.time() if now is None else now
        row = await self._db.write_returning(
            "INSERT INTO pacing (key, tat) VALUES (:key, :now + :span)"
            " ON CONFLICT (key) DO UPDATE SET tat = max(pacing.tat, :now) + :span"
            " RETURNING tat",
            {"key": key, "now": moment, "span": count * interval},
        )
        if row is None:
            raise RuntimeError("pacing row not returned")
        tolerance = max(burst - 1, 0) * interval
        tat = float(row["tat"])
        return [max(0.0, tat - (count - n) * interval - tolerance - moment) for n in range(count)]

    async def hold(
        self, key: str, rate: float, burst: int, seconds: float, *, now: float | None = None
    ) -> None:
        """The platform said "too many requests, wait `seconds`": no slot of `key` is given
        out before then, to any worker (the row's next slot moves past the pause)."""
        moment = time.time() if now is None else now
        tolerance = max(burst - 1, 0) / rate
        await self._db.write_returning(
            "INSERT INTO pacing (key, tat) VALUES (:key, :until)"
            " ON CONFLICT (key) DO UPDATE SET tat = max(pacing.tat, :until) RETURNING tat",
            {"key": key, "until": moment + seconds + tolerance},
        )

    def limiter(self, key: str, rate: float, burst: int = 1) -> SharedCap | None:
        """The shared cap of `key` when the database is shared by processes, else None."""
        return SharedCap(self, key, rate, burst) if self.shared else None

    async def forget(self, key: str) -> None:
        await self._db.execute("DELETE FROM pacing WHERE key = ?", (key,))


class SharedCap:
    """One key's cap, as the pacers use it: `await cap.reserve()` → seconds to wait.

    At most one booking per worker and key is in flight: the sends that ask meanwhile are
    booked together by the next statement (one slot each). So a busy worker costs the
    database one statement per round trip, not one per message, and its sends never queue
    for connections behind each other's row lock.
    """

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
        self._asking: list[asyncio.Future[float]] = []
        self._booking: asyncio.Task[None] | None = None
        self._holds: set[asyncio.Task[None]] = set()  # pauses being written

    @property
    def key(self) -> str:
        return self._key

    def hold(self, seconds: float) -> None:
        """Pause every worker's sends of this key for `seconds` (a 429 / 130429 seen here):
        written in the background; a failure is logged and the pause stays this worker's."""
        task = asyncio.create_task(
            self._repository.hold(self._key, self._rate, self._burst, seconds, now=self._clock()),
            name=f"pacing-hold-{self._key}",
        )
        self._holds.add(task)
        task.add_done_callback(self._held)

    def _held(self, task: asyncio.Task[None]) -> None:
        self._holds.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("shared pause not recorded: %s", task.exception())

    async def reserve(self) -> float:
        slot: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._asking.append(slot)
        if self._booking is None or self._booking.done():
            self._booking = asyncio.create_task(self._book(), name=f"pacing-{self._key}")
        return await slot

    async def _book(self) -> None:
        while self._asking:
            batch, self._asking = self._asking, []
            try:
                waits = await self._repository.reserve_many(
                    self._key, self._rate, self._burst, len(batch), now=self._clock()
                )
            except Exception as exc:
                for slot in batch:
                    if not slot.done():
                        slot.set_exception(exc)
                continue
            for slot, wait in zip(batch, waits, strict=True):
                if not slot.done():  # a cancelled sender's slot is simply not used
                    slot.set_result(wait)
