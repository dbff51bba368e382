"""Telegram webhook benchmark: POSTed update -> matching sendMessage at the fake Bot API.

The bot runs as `python -m bot serve` in its own process, in webhook mode, against a fake Bot
API on loopback (tests/fakes/telegram_api.py) that this process serves; this process also
POSTs the updates (each from a different user, so per-chat pacing never applies) on an open
loop schedule. Latency = arrival of the first sendMessage for that chat at the fake minus the
moment the update was POSTed (one monotonic clock). Telegram's 30 messages/s overall cap is
lifted for the run (JAMSOS_TELEGRAM_MAX_RATE): the figure is the bot's own processing.

    .venv/bin/python benchmarks/telegram.py [--steady-rate 100] [--seconds 10]

Goals (issue 5): p99 <= 20 ms at 100 updates/s; >= 500 updates/s before p99 passes 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
# This file is named like python-telegram-bot's package: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import (  # noqa: E402
    TOKEN,
    Call,
    FakeTelegramAPI,
    message_update,
    running_fake,
)

SECRET = "bench_secret-123"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
QUESTION = "/start"


@dataclass
class Result:
    rate: float
    sent: int
    answered: int
    p50_ms: float
    p99_ms: float
    achieved: float  # answers per second over the run
    bot_cpu_ms: float = 0.0  # bot process CPU per update


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def bot_process(api_url: str, data_dir: Path) -> AsyncIterator[tuple[str, int]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "JAMSOS_DATA_DIR": str(data_dir),
        "JAMSOS_TELEGRAM_TOKEN": TOKEN,
        "JAMSOS_TELEGRAM_API_URL": api_url,
        "JAMSOS_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "JAMSOS_TELEGRAM_MAX_RATE": "100000",
        "JAMSOS_PUBLIC_URL": base,
        "JAMSOS_LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "true",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("JAMSOS_WHATSAPP_TOKEN", None)
    profile = os.environ.get("BENCH_PROFILE")  # a path: run the bot under cProfile
    command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if profile:
        command[1:1] = ["-m", "cProfile", "-o", profile]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    try:
        async with httpx.AsyncClient(trust_env=False) as client:
            deadline = time.monotonic() + 120
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
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()


class Probe:
    """Matches each POSTed update to the first sendMessage for its chat."""

    def __init__(self) -> None:
        self.posted: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.done = asyncio.Event()
        self.expected = 0

    def on_call(self, call: Call) -> None:
        if call.method != "sendMessage":
            return
        chat = int(call.params.get("chat_id", 0))
        if chat in self.posted and chat not in self.answered:
            self.answered[chat] = time.monotonic()
            if len(self.answered) >= self.expected:
                self.done.set()


class Poster:
    """A lean HTTP/1.1 keep-alive client (asyncio streams) so the load generator stays cheap."""

    def __init__(self, base_url: str, connections: int = 16):
        host_port = base_url.removeprefix("http://")
        self.host, port = host_port.split(":")
        self.port = int(port)
        self.connections = connections
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.workers: list[asyncio.Task[None]] = []
        self.statuses: dict[int, int] = {}

    async def start(self) -> None:
        for _ in range(self.connections):
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.workers.append(asyncio.create_task(self._work(reader, writer)))

    async def close(self) -> None:
        for worker in self.workers:
            worker.cancel()
        await asyncio.gather(*self.workers, return_exceptions=True)

    def post(self, body: bytes) -> None:
        head = (
            f"POST /telegram HTTP/1.1\r\nHost: {self.host}\r\n{HEADER}: {SECRET}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.queue.put_nowait(head.encode() + body)

    async def _work(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await self.queue.get()
                writer.write(request)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                status = int(status_line.split()[1])
                self.statuses[status] = self.statuses.get(status, 0) + 1
        finally:
            writer.close()


async def run_rate(
    poster: Poster, probe: Probe, rate: float, seconds: float, first_user: int
) -> Result:
    count = max(int(rate * seconds), 1)
    probe.posted.clear()
    probe.answered.clear()
    probe.done.clear()
    probe.expected = count
    bodies = [json.dumps(message_update(first_user + i, QUESTION)).encode() for i in range(count)]
    start = time.monotonic()
    for i, body in enumerate(bodies):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        probe.posted[first_user + i] = time.monotonic()
        poster.post(body)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(probe.done.wait(), timeout=30)
    latencies = sorted(
        (probe.answered[chat] - posted) * 1000
        for chat, posted in probe.posted.items()
        if chat in probe.answered
    )
    if not latencies:
        return Result(rate, count, 0, float("inf"), float("inf"), 0.0)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    if len(latencies) < count:
        p99 = float("inf")  # lost answers count as too slow
    span = max(probe.answered.values()) - min(probe.posted.values())
    return Result(
        rate, count, len(latencies), statistics.median(latencies), p99, len(latencies) / span
    )


async def measured(
    pid: int, poster: Poster, probe: Probe, rate: float, seconds: float, first_user: int
) -> Result:
    before = cpu_seconds(pid)
    result = await run_rate(poster, probe, rate, seconds, first_user)
    result.bot_cpu_ms = (cpu_seconds(pid) - before) / result.sent * 1000
    return result


def show(label: str, result: Result) -> None:
    print(
        f"{label:>10}: {result.rate:6.0f} updates/s offered, {result.answered}/{result.sent}"
        f" answered, p50 {result.p50_ms:7.1f} ms, p99 {result.p99_ms:7.1f} ms,"
        f" {result.achieved:6.0f} answers/s, bot CPU {result.bot_cpu_ms:.2f} ms/update"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steady-rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument(
        "--rates", default="200,300,400,500,600,800,1000,1200", help="ramp, updates/s"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    probe = Probe()
    fake = FakeTelegramAPI(on_call=probe.on_call)
    with tempfile.TemporaryDirectory() as folder:
        async with (
            running_fake(fake) as api,
            bot_process(api.url, Path(folder)) as (bot_url, pid),
        ):
            poster = Poster(bot_url)
            await poster.start()
            print(f"bot in webhook mode at {bot_url}, fake Bot API at {api.url}")
            user = 10_000_000
            await run_rate(poster, probe, 50, 2, user)  # warm-up, not reported
            user += 1_000_000
            steady = await measured(pid, poster, probe, args.steady_rate, args.seconds, user)
            show("steady", steady)
            sustained = 0.0
            for rate in (float(r) for r in args.rates.split(",")):
                user += 1_000_000
                await asyncio.sleep(1)  # let the previous step drain
                result = await measured(pid, poster, probe, rate, args.step_seconds, user)
                show("ramp", result)
                if result.p99_ms > 100:
                    break
                sustained = rate
            await poster.close()
            print(f"webhook answers by HTTP status: {poster.statuses}")
    print()
    print(f"p50 at {steady.rate:.0f} updates/s: {steady.p50_ms:.1f} ms")
    print(f"p99 at {steady.rate:.0f} updates/s: {steady.p99_ms:.1f} ms (goal <= 20 ms)")
    print(f"sustained updates/s with p99 <= 100 ms: {sustained:.0f} (goal >= 500)")
    print(
        f"bot CPU per update at {steady.rate:.0f}/s: {steady.bot_cpu_ms:.2f} ms"
        f" (one core's ceiling: {1000 / max(steady.bot_cpu_ms, 0.001):.0f} updates/s)"
    )


if __name__ == "__main__":
    asyncio.run(main())
