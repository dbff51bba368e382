"""Scale benchmark: answered Telegram updates/s at p99 <= 100 ms, per engine and worker count.

One run measures three set-ups, each a real `python -m bot serve` (webhook mode) against the
fake Bot API on loopback (tests/fakes/telegram_api.py), driven by the open-loop load
generator of benchmarks/telegram.py:

    sqlite x 1      the embedded default (no settings)
    postgresql x 1  JAMSOS_DATABASE_URL, one process
    postgresql x 2  `serve --workers 2`: two processes sharing the port (SO_REUSEPORT)

PostgreSQL: --postgres-url (a database the run may create databases in), or a throwaway
PostgreSQL 15 cluster started for the run by .ci/postgres. For each set-up: a steady rate
(p50, p99, CPU of the whole process tree per update), then a ramp; the figure reported is the
highest rate whose p99 stays <= 100 ms with every update answered.

    .venv/bin/python benchmarks/scale.py [--rates 100,200,300,400,500] [--step-seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import itertools
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, running_fake  # noqa: E402


def _load_telegram_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_telegram", ROOT / "benchmarks/telegram.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tg = _load_telegram_bench()


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and its children (the workers of `serve --workers N`)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@contextlib.contextmanager
def postgres_server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="jamsos-bench-pg.")
    script = str(ROOT / ".ci/postgres")
    started = subprocess.run(
        [script, "start", folder, str(tg.free_port())], check=True, capture_output=True, text=True
    )
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", folder], check=False)


def new_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


@contextlib.asynccontextmanager
async def bot(
    api_url: str, data_dir: Path, database_url: str | None, workers: int, **extra: str
) -> AsyncIterator[tuple[str, int]]:
    port = tg.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "JAMSOS_DATA_DIR": str(data_dir),
        "JAMSOS_TELEGRAM_TOKEN": TOKEN,
        "JAMSOS_TELEGRAM_API_URL": api_url,
        "JAMSOS_TELEGRAM_WEBHOOK_SECRET": tg.SECRET,
        "JAMSOS_TELEGRAM_MAX_RATE": "100000",
        "JAMSOS_PUBLIC_URL": base,
        "JAMSOS_LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "true",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.update(extra)
    env.pop("JAMSOS_DATABASE_URL", None)
    if database_url:
        env["JAMSOS_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    try:
        async with httpx.AsyncClient(trust_env=False) as client:
            deadline = time.monotonic() + 300
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"the bot exited with {process.returncode}")
                try:
                    await client.post(f"{base}/telegram", content=b"")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)
        await asyncio.sleep(3 * workers)  # every worker up, not only the first
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM if workers > 1 else signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()


async def measure(
    label: str, database_url: str | None, workers: int, args: argparse.Namespace
) -> tuple[str, float, object]:
    probe = tg.Probe()
    fake = FakeTelegramAPI(on_call=probe.on_call)
    with tempfile.TemporaryDirectory() as folder:
        async with (
            running_fake(fake) as api,
            bot(api.url, Path(folder), database_url, workers) as (
                url,
                pid,
            ),
        ):
            poster = tg.Poster(url, connections=16)
            await poster.start()
            user = 10_000_000
            await tg.run_rate(poster, probe, 50, 2, user)  # warm-up
            user += 1_000_000
            before = tree_cpu_seconds(pid)
            steady = await tg.run_rate(poster, probe, args.steady_rate, args.seconds, user)
            steady.bot_cpu_ms = (tree_cpu_seconds(pid) - before) / steady.sent * 1000
            tg.show(label, steady)
            sustained = 0.0
            for rate in (float(r) for r in args.rates.split(",")):
                user += 1_000_000
                await asyncio.sleep(1)
                result = await tg.run_rate(poster, probe, rate, args.step_seconds, user)
                tg.show("  ramp", result)
                if result.p99_ms > 100 or result.answered < result.sent:
                    break
                sustained = rate
            await poster.close()
    return label, sustained, steady


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


async def broadcast_with_a_kill(server: str, recipients: int, cap: float, window: int) -> bool:
    """2 workers on PostgreSQL, one broadcast paced at `cap`; the sending worker gets SIGKILL
    at 40 %. Rate = accepted sends / sending time (the restart gap left out)."""
    from collections import Counter
    from datetime import UTC, datetime

    from bot.store import Store
    from bot.store.broadcasts import Audience

    database = new_database(server, f"jamsos_bench_{os.getpid()}_broadcast")
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(database, files=Path(folder))
        for n in range(recipients):
            user = await store.people.touch("telegram", str(50_000_000 + n))
            await store.people.subscribe(user.id)
        fake = FakeTelegramAPI()
        async with running_fake(fake) as api, bot(
            api.url, Path(folder), database, 2,
            JAMSOS_TELEGRAM_BROADCAST_RATE=str(cap), JAMSOS_BROADCAST_WINDOW=str(window),
        ) as (_, pid):  # fmt: skip
            draft = await store.broadcasts.create(
                created_by="cli:bench", text_id="Pengumuman", text_en=None,
                audience=Audience(), send_at=None, recipients=recipients,
            )  # fmt: skip
            await store.broadcasts.confirm(draft.id, "cli:bench", datetime.now(UTC))
            await fake.wait_for("sendMessage", int(recipients * 0.4), within=600)
            lease = await store.outbox.sender_lease()
            assert lease is not None
            sender = int(lease.holder.split(":")[1])
            assert sender in children(pid)
            os.kill(sender, signal.SIGKILL)
            killed = time.monotonic()
            while True:
                found = await store.broadcasts.get(draft.id)
                if found is not None and found.status == "done":
                    break
                await asyncio.sleep(0.5)
            report = await store.broadcasts.report(draft.id)
        await store.close()
    calls = fake.calls_of("sendMessage")
    times = sorted(c.at for c in calls)
    per = Counter(int(c.params["chat_id"]) for c in calls)
    near = [t for t in times if killed - 1 <= t <= killed + 120]
    gap = max((b - a for a, b in itertools.pairwise(near)), default=0.0)
    span = times[-1] - times[0]
    rate = len(times) / max(span - gap, 1e-9)
    lost = recipients - len(per)
    duplicates = sum(n - 1 for n in per.values())
    possible = report.possible_duplicates if report else -1
    busiest = max(Counter(int(t - times[0]) for t in times).values())
    print(
        f"\nbroadcast, 2 workers, shared cap {cap:.0f}/s: {len(times)} sends to {len(per)}"
        f" of {recipients} recipients; rate {rate:.1f}/s = {100 * rate / cap:.1f} % of the cap"
        f" (restart gap {gap:.1f} s left out; busiest second {busiest}); lost {lost};"
        f" duplicates {duplicates} (outbox reports {possible} possible, in-flight window"
        f" {window}); states {report.states if report else None}"
    )
    return rate >= 0.95 * cap and lost == 0 and duplicates <= min(window, possible)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=os.environ.get("JAMSOS_BENCH_POSTGRES_URL"))
    parser.add_argument("--steady-rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument("--rates", default="100,150,200,250,300,400,500,600")
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--cap", type=float, default=80.0, help="shared broadcast cap, /s")
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--only-broadcast", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = []
    with postgres_server(args.postgres_url) as server:
        if not args.only_broadcast:
            results.append(await measure("sqlite x1", None, 1, args))
            pg = new_database(server, f"jamsos_bench_{os.getpid()}_1")
            results.append(await measure("pg x1", pg, 1, args))
            pg2 = new_database(server, f"jamsos_bench_{os.getpid()}_2")
            results.append(await measure("pg x2", pg2, 2, args))
        met = await broadcast_with_a_kill(server, args.recipients, args.cap, args.window)
        print("broadcast RESULT:", "target met" if met else "TARGET MISSED")
    print()
    print(
        f"{'set-up':<10} {'updates/s at p99<=100ms':>24} {'p99 @steady':>12} {'CPU ms/update':>14}"
    )
    for label, sustained, steady in results:
        print(
            f"{label:<10} {sustained:>24.0f} {steady.p99_ms:>10.1f}ms"  # type: ignore[attr-defined]
            f" {steady.bot_cpu_ms:>14.2f}"  # type: ignore[attr-defined]
        )
    print(f"({os.cpu_count()} CPU cores, shared with the load generator and PostgreSQL)")


if __name__ == "__main__":
    asyncio.run(main())
