"""Answer benchmark: time to answer each program intent (button press → reply), in process.

Opens a fresh store in a temporary directory (the shipped facts seeded), then presses a
button for every "Programs and benefits" intent, with and without slots (a wage, a birth
year, a situation), `--rounds` times each, through the real dispatcher: payload decode,
store touch, the handler with its fact lookups and calculator, the question log (SQLite
writes dominate this figure). A second table times the handler alone (fact lookups,
calculator, wording), called with a ready context. Prints p50/p99/max per intent and
overall, and the longest reply in characters.

    .venv/bin/python benchmarks/answers.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import App
from bot.config import Settings
from bot.core.context import HandlerContext
from bot.core.formatting import Formatter
from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.domain.roles import Role
from bot.domain.understanding import Slots, Understanding
from handlers import ROUTERS

CASES: list[tuple[Intent, Slots | None]] = [
    (Intent.PROGRAM_OVERVIEW, None),
    (Intent.JKK_BENEFIT, Slots(money=4_000_000)),
    (Intent.JKK_CLAIM, None),
    (Intent.JKM_BENEFIT, None),
    (Intent.JKM_CLAIM, None),
    (Intent.JHT_BENEFIT, Slots(money=4_000_000)),
    (Intent.JHT_CLAIM, Slots(option="resign", money=12_000_000)),
    (Intent.JP_BENEFIT, Slots(birth_year=1975)),
    (Intent.JP_CLAIM, None),
    (Intent.JKP_BENEFIT, Slots(money=4_000_000)),
    (Intent.JKP_CLAIM, None),
    (Intent.SCHOLARSHIP, None),
    (Intent.CONTRIBUTION_PU, Slots(money=4_500_000)),
    (Intent.CONTRIBUTION_PU, None),
    (Intent.CONTRIBUTION_BPU, Slots(money=2_000_000)),
    (Intent.ELIGIBILITY, Slots(occupation="ojol")),
    (Intent.REGISTRATION_PU, None),
    (Intent.REGISTRATION_BPU, None),
    (Intent.VULNERABLE_WORKERS, None),
    (Intent.MIGRANT_WORKERS, None),
    (Intent.CONSTRUCTION_WORKERS, None),
    (Intent.LATE_PAYMENT, None),
    (Intent.BALANCE_CHECK, None),
    (Intent.CONTACT, None),
    (Intent.REGULATION, None),
    (Intent.PARITRANA_AWARD, None),
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _table(title: str, timings: dict[str, list[float]]) -> None:
    every = [value for values in timings.values() for value in values]
    print(f"\n{title}")
    print(f"{'button payload':<48} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for name, values in timings.items():
        print(
            f"{name[:48]:<48} {statistics.median(values):7.3f} "
            f"{_percentile(values, 0.99):7.3f} {max(values):7.3f}"
        )
    print(
        f"{'ALL (' + str(len(every)) + ' answers)':<48} {statistics.median(every):7.3f} "
        f"{_percentile(every, 0.99):7.3f} {max(every):7.3f}"
    )


async def _handlers(app: App, rounds: int) -> dict[str, list[float]]:
    handlers = {intent: h for router in ROUTERS for intent, h in router.intents.items()}
    user = await app.store.people.touch("console", "bench")
    t = app.dispatcher.catalogues.translator("id")
    msg = Incoming(chat=ChatRef(channel="console", user_id="bench", chat_id="bench"))
    timings: dict[str, list[float]] = {}
    for intent, slots in CASES:
        ctx = HandlerContext(
            store=app.store,
            user=user,
            role=Role.WORKER,
            understanding=Understanding(intent=intent, score=1.0, slots=slots or Slots()),
            previous=None,
            t=t,
            fmt=Formatter("id"),
            today=app.dispatcher.today(),
            settings=app.settings,
        )
        for _ in range(rounds):
            started = time.perf_counter()
            await handlers[intent](msg, ctx)
            timings.setdefault(encode(intent, slots), []).append(
                (time.perf_counter() - started) * 1000
            )
    return timings


async def run(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = await App.create(Settings(data_dir=Path(folder)))
        try:
            chat = ChatRef(channel="console", user_id="bench", chat_id="bench")
            timings: dict[str, list[float]] = {}
            longest = 0
            for intent, slots in CASES:
                name = encode(intent, slots)
                for _ in range(rounds):
                    started = time.perf_counter()
                    replies = await app.dispatcher.handle(
                        Incoming(chat=chat, payload=encode(intent, slots))
                    )
                    timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                    longest = max(longest, sum(len(reply.text) for reply in replies))
            _table("through the dispatcher (button press -> reply)", timings)
            _table("handler alone (facts, calculator, wording)", await _handlers(app, rounds))
            print(f"longest reply: {longest} characters")
        finally:
            await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.rounds))


if __name__ == "__main__":
    main()
