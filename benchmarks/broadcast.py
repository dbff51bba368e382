"""Broadcast benchmark: 10,000 recipients over Telegram and WhatsApp, a kill -9 mid-run.

This process serves a fake Bot API and a fake Graph API on 127.0.0.1 (tests/fakes/), each
behind a gate that enforces a send cap (GCRA, bursts of 30 messages + 50 ms tolerated; over
the cap: Telegram 429 `retry_after` 1, WhatsApp 130429) and injects two 429s and ~0.3 % 5xx
answers. The bot
runs as `python -m bot serve` (webhooks on, the outbox worker inside) in a subprocess,
with broadcast rates at 97 % of each cap. A broadcast to every subscriber is confirmed; when
40 % is through, the bot gets SIGKILL and is started again on the same database. While the
broadcast runs, this process sends user messages (Telegram and WhatsApp webhooks, each from
a new user) and times the replies.

Figures:
- achieved rate per channel = messages the platform accepted (announcements and replies, as
  the platform counts them against its cap) / sending time, where sending time
  excludes the restart gap (the longest silence around the kill) and the pauses the injected
  429s imposed (retry_after 1 s each; WhatsApp: the channel's first back-off), but not the
  pauses of 429s the bot earned by going over the cap; the raw rate over the whole span is
  printed too;
- lost = recipients that never got the message and are not recorded as failed: must be 0;
- duplicates = accepted sends beyond the first per recipient: must be <= the in-flight
  window (per channel) and <= the "possible duplicates" the report counts;
- p99 reply time for user messages during the broadcast (goal <= 1 s).

    .venv/bin/python benchmarks/broadcast.py [--recipients 10000] [--telegram-cap 100]
        [--whatsapp-cap 80] [--window 64] [--default-rates]

`--default-rates` leaves the broadcast rates to the bot's defaults (JAMSOS_*_BROADCAST_RATE
unset): with the real caps (`--telegram-cap 30 --whatsapp-cap 80`) it measures the share of
each cap the defaults reach, and the reply times beside them (target: >= 90 %).

The caps are well above the real ones (Telegram ~30/s) so the run takes about a minute. The
bot spends ~3 ms of CPU per message (mostly python-telegram-bot, pywa and httpx), so caps much
higher than these need a core of its own for the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.whatsapp.webhook import sign  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.broadcasts import Audience  # noqa: E402
from tests.fakes.graph_api import FakeGraphApi  # noqa: E402
from tests.fakes.telegram_api import (  # noqa: E402
    TOKEN,
    FakeTelegramAPI,
    message_update,
    serve_asgi,
)

TG_SECRET = "bench_secret-123"
WA_SECRET = "bench-app-secret"
TEMPLATE = "pengumuman_umum"
TEXT = "Pendaftaran pekerja rentan dibuka di kantor desa mulai Senin."
WINDOW = 32
TG_PROBE_BASE = 9_000_000
WA_PROBE_BASE = 7_000_000
WA_BACKOFF = 0.2


# -- the platforms' gate ----------------------------------------------------------------------


class Gcra:
    def __init__(self, rate: float, burst: float):
        self.interval = 1.0 / rate
        self.tolerance = burst * self.interval
        self.tat = 0.0

    def take(self, now: float) -> bool:
        if self.tat - self.tolerance > now:
            return False
        self.tat = max(self.tat, now) + self.interval
        return True


@dataclass
class GateLog:
    throttled: int = 0  # over the cap
    injected_429: int = 0
    injected_5xx: int = 0
    pauses: float = 0.0  # seconds of pause the injected 429s imposed (over-cap ones: our fault)


class Gate:
    """ASGI middleware before a fake platform: cap, injected 429s and 5xx on message sends."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cap: float,
        is_send: Callable[[str], bool],
        limited: Callable[[], tuple[int, dict[str, Any]]],
        failed: Callable[[], tuple[int, dict[str, Any]]],
        pause: float,
        inject_429_at: set[int],
        five_xx: float,
        seed: int,
    ):
        self.app = app
        self.gcra = Gcra(cap, 30 + cap * 0.05)  # short bursts tolerated, as Telegram does
        self.is_send = is_send
        self.limited = limited
        self.failed = failed
        self.pause = pause
        self.inject_429_at = inject_429_at
        self.five_xx = five_xx
        self.rng = random.Random(seed)
        self.count = 0
        self.passed = 0
        self.log = GateLog()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_send(scope["path"]):
            await self.app(scope, receive, send)
            return
        self.count += 1
        answer: tuple[int, dict[str, Any]] | None = None
        if self.count in self.inject_429_at:
            self.log.injected_429 += 1
            self.log.pauses += self.pause
            answer = self.limited()
        elif self.rng.random() < self.five_xx:
            self.log.injected_5xx += 1
            answer = self.failed()
        elif not self.gcra.take(time.monotonic()):
            self.log.throttled += 1
            answer = self.limited()
        if answer is None:
            self.passed += 1
            await self.app(scope, receive, send)
            return
        while (await receive()).get("more_body"):  # read and drop the request body
            pass
        status, body = answer
        raw = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": raw})


def telegram_limited() -> tuple[int, dict[str, Any]]:
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


def telegram_failed() -> tuple[int, dict[str, Any]]:
    return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}


def graph_error(code: int, title: str) -> dict[str, Any]:
    return {
        "error": {
            "message": f"(#{code}) {title}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": title},
            "fbtrace_id": "AbCdEfGhIjK",
        }
    }


def whatsapp_limited() -> tuple[int, dict[str, Any]]:
    return 400, graph_error(130429, "Rate limit hit")


def whatsapp_failed() -> tuple[int, dict[str, Any]]:
    return 500, graph_error(131000, "Something went wrong")


# -- the bot process --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Bot:
    data_dir: Path
    tg_url: str
    graph: FakeGraphApi
    tg_cap: float
    wa_cap: float
    window: int = 32
    default_rates: bool = False  # the bot's own default broadcast rates, not 97 % of the caps
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        rates = {
            "JAMSOS_TELEGRAM_BROADCAST_RATE": str(self.tg_cap * 0.97),
            "JAMSOS_WHATSAPP_BROADCAST_RATE": str(self.wa_cap * 0.97),
        }
        environ = {k: v for k, v in os.environ.items() if k not in rates}
        return {
            **environ,
            **({} if self.default_rates else rates),
            "NO_PROXY": "127.0.0.1,localhost",
            "PTB_TIMEDELTA": "true",
            "JAMSOS_DATA_DIR": str(self.data_dir),
            "JAMSOS_LOG_LEVEL": "WARNING",
            "JAMSOS_PUBLIC_URL": self.url,
            "JAMSOS_TELEGRAM_TOKEN": TOKEN,
            "JAMSOS_TELEGRAM_API_URL": self.tg_url,
            "JAMSOS_TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
            "JAMSOS_TELEGRAM_MAX_RATE": str(self.tg_cap),
            "JAMSOS_WHATSAPP_TOKEN": "benchmark-token",
            "JAMSOS_WHATSAPP_PHONE_ID": self.graph.phone_id,
            "JAMSOS_WHATSAPP_APP_SECRET": WA_SECRET,
            "JAMSOS_WHATSAPP_VERIFY_TOKEN": "benchmark",
            "JAMSOS_WHATSAPP_API_URL": self.graph.url,
            "JAMSOS_WHATSAPP_API_VERSION": self.graph.api_version,
            "JAMSOS_WHATSAPP_MESSAGES_PER_SECOND": str(self.wa_cap),
            "JAMSOS_WHATSAPP_BACKOFF_SECONDS": str(WA_BACKOFF),
            "JAMSOS_WHATSAPP_BROADCAST_TEMPLATE": TEMPLATE,
            "JAMSOS_BROADCAST_WINDOW": str(self.window),
            "JAMSOS_BROADCAST_POLL_SECONDS": "0.2",
        }

    async def start(self) -> None:
        self.starts += 1
        log = (self.data_dir / f"bot-{self.starts}.log").open("wb")
        profile = os.environ.get("BENCH_PROFILE")  # a path: profile the restarted bot
        prefix = ["-m", "cProfile", "-o", profile] if profile and self.starts == 2 else []
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *prefix,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=log,
        )
        log.close()
        async with httpx.AsyncClient(trust_env=False) as client:
            deadline = time.monotonic() + 120
            while True:
                if self.process.returncode is not None:
                    log_text = (self.data_dir / f"bot-{self.starts}.log").read_text(
                        errors="replace"
                    )
                    raise RuntimeError(f"the bot exited:\n{log_text[-3000:]}")
                with contextlib.suppress(httpx.TransportError):
                    await client.get(f"{self.url}/whatsapp")
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("the bot did not start")
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


# -- data -------------------------------------------------------------------------------------


def tg_chat(n: int) -> str:
    return str(100_000 + n)


def wa_number(n: int) -> str:
    return f"6281{n:09d}"


async def prepare(path: Path, telegram: int, whatsapp: int, outside_window: int) -> None:
    """A seeded store with the subscribers (written in bulk; the store API would take long)."""
    store = await Store.open(path)
    await store.close()
    now = datetime.now(UTC)
    old = now - timedelta(days=3)

    def insert() -> None:
        conn = sqlite3.connect(path)
        with conn:
            rows = [("telegram", tg_chat(n), now) for n in range(telegram)]
            rows += [
                ("whatsapp", wa_number(n), old if n < outside_window else now)
                for n in range(whatsapp)
            ]
            conn.executemany(
                "INSERT INTO users (channel, external_id, created_at, last_seen_at)"
                " VALUES (?, ?, ?, ?)",
                [(c, e, t.isoformat(), t.isoformat()) for c, e, t in rows],
            )
            conn.execute(
                "INSERT INTO subscriptions (user_id, region_code, created_at)"
                " SELECT id, '', ? FROM users",
                (now.isoformat(),),
            )
        conn.close()

    await asyncio.to_thread(insert)


async def confirm_broadcast(path: Path) -> int:
    store = await Store.open(path, seed=False)
    try:
        draft = await store.broadcasts.create(
            created_by="cli:benchmark",
            text_id=TEXT,
            text_en=None,
            audience=Audience(),
            send_at=None,
            recipients=0,
        )
        confirmed = await store.broadcasts.confirm(draft.id, "cli:benchmark", datetime.now(UTC))
        assert confirmed is not None and confirmed.status == "sending"
        return draft.id
    finally:
        await store.close()


def outbox_states(path: Path, broadcast_id: int) -> tuple[dict[str, int], int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY state",
            (broadcast_id,),
        ).fetchall()
        duplicates = conn.execute(
            "SELECT COALESCE(SUM(possible_duplicate), 0) FROM outbox WHERE broadcast_id = ?",
            (broadcast_id,),
        ).fetchone()[0]
        return {state: count for state, count in rows}, int(duplicates)
    finally:
        conn.close()


# -- user messages during the broadcast ------------------------------------------------------


def wa_webhook(phone_id: str, number: int) -> bytes:
    wa_id = f"62899{number:08d}"
    message = {
        "from": wa_id,
        "from_user_id": f"ID.{number}",
        "id": f"wamid.PROBE{number:08d}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": "berapa iuran bpu sebulan"},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": phone_id},
        "contacts": [{"profile": {"name": "Pekerja"}, "wa_id": wa_id, "user_id": f"ID.{number}"}],
        "messages": [message],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload).encode()


@dataclass
class Probes:
    bot: Bot
    tg_sent: dict[str, float] = field(default_factory=dict)  # chat id -> posted at
    wa_sent: dict[str, float] = field(default_factory=dict)  # wa id -> posted at

    async def run(self, stop: asyncio.Event, per_second: float = 5.0) -> None:
        n = 0
        async with httpx.AsyncClient(base_url=self.bot.url, trust_env=False) as client:
            while not stop.is_set():
                n += 1
                await asyncio.gather(self._telegram(client, n), self._whatsapp(client, n))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1 / per_second)

    async def _telegram(self, client: httpx.AsyncClient, n: int) -> None:
        chat = TG_PROBE_BASE + n
        body = json.dumps(message_update(chat, "berapa iuran bpu sebulan")).encode()
        headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        self.tg_sent[str(chat)] = time.monotonic()
        with contextlib.suppress(httpx.TransportError):  # the bot may be down (kill -9)
            response = await client.post("/telegram", content=body, headers=headers)
            if response.status_code == 200:
                return
        del self.tg_sent[str(chat)]  # not accepted: nothing to time

    async def _whatsapp(self, client: httpx.AsyncClient, n: int) -> None:
        number = WA_PROBE_BASE + n
        body = wa_webhook(self.bot.graph.phone_id, number)
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(body, WA_SECRET),
        }
        key = f"62899{number:08d}"
        self.wa_sent[key] = time.monotonic()
        with contextlib.suppress(httpx.TransportError):
            response = await client.post("/whatsapp", content=body, headers=headers)
            if response.status_code == 200:
                return
        del self.wa_sent[key]


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Sends:
    """Accepted broadcast sends per recipient, with arrival times, read from the fakes."""

    times: list[float] = field(default_factory=list)
    per_recipient: Counter[str] = field(default_factory=Counter)
    every_send: list[float] = field(default_factory=list)  # broadcasts and replies alike


def telegram_sends(fake: FakeTelegramAPI) -> Sends:
    sends = Sends()
    for call in fake.calls:
        if call.method == "sendMessage":
            sends.every_send.append(call.at)
        if call.method == "sendMessage" and str(call.params.get("text", "")).startswith("📢"):
            sends.times.append(call.at)
            sends.per_recipient[str(call.params["chat_id"])] += 1
    return sends


def whatsapp_sends(graph: FakeGraphApi) -> Sends:
    sends = Sends()
    for recorded in graph.requests:
        body = recorded.json
        if not recorded.ok or not body or not recorded.path.endswith("/messages"):
            continue
        sends.every_send.append(recorded.at)
        broadcast = body.get("type") == "template" or str(
            body.get("text", {}).get("body", "")
        ).startswith("📢")
        if broadcast:
            sends.times.append(recorded.at)
            sends.per_recipient[str(body.get("to") or body.get("recipient"))] += 1
    return sends


def first_replies(fake: FakeTelegramAPI, graph: FakeGraphApi) -> tuple[dict[str, float], ...]:
    tg: dict[str, float] = {}
    for call in fake.calls:
        chat = str(call.params.get("chat_id", ""))
        if call.method == "sendMessage" and chat not in tg:
            tg[chat] = call.at
    wa: dict[str, float] = {}
    for recorded in graph.requests:
        if recorded.ok and recorded.json and recorded.path.endswith("/messages"):
            to = str(recorded.json.get("to") or recorded.json.get("recipient"))
            wa.setdefault(to, recorded.at)
    return tg, wa


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def wait_until(check: Callable[[], Awaitable[bool]], within: float) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.25)


@contextlib.asynccontextmanager
async def platforms(
    args: argparse.Namespace,
) -> AsyncIterator[tuple[FakeTelegramAPI, Gate, FakeGraphApi, Gate]]:
    telegram = FakeTelegramAPI()
    tg_gate = Gate(
        telegram.app,
        cap=args.telegram_cap,
        is_send=lambda path: path.endswith("/sendMessage"),
        limited=telegram_limited,
        failed=telegram_failed,
        pause=1.0,
        inject_429_at={int(args.telegram_share * args.recipients * f) for f in (0.25, 0.75)},
        five_xx=0.003,
        seed=1,
    )
    graph = FakeGraphApi()
    wa_gate = Gate(
        graph.app,
        cap=args.whatsapp_cap,
        is_send=lambda path: path.endswith("/messages"),
        limited=whatsapp_limited,
        failed=whatsapp_failed,
        pause=WA_BACKOFF,
        inject_429_at={int((1 - args.telegram_share) * args.recipients * f) for f in (0.3, 0.8)},
        five_xx=0.003,
        seed=2,
    )
    graph.app = wa_gate  # type: ignore[assignment]
    await graph.start()
    try:
        async with serve_asgi(tg_gate) as url:
            telegram.url = url
            yield telegram, tg_gate, graph, wa_gate
    finally:
        await graph.stop()


async def run(args: argparse.Namespace) -> int:
    telegram_count = int(args.recipients * args.telegram_share)
    whatsapp_count = args.recipients - telegram_count
    outside = whatsapp_count // 10
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        db = data_dir / "jamsosbot.sqlite3"
        print(
            f"preparing {telegram_count} Telegram + {whatsapp_count} WhatsApp subscribers "
            f"({outside} outside the 24-hour window)...",
            flush=True,
        )
        await prepare(db, telegram_count, whatsapp_count, outside)
        async with platforms(args) as (telegram, tg_gate, graph, wa_gate):
            bot = Bot(
                data_dir,
                telegram.url,
                graph,
                args.telegram_cap,
                args.whatsapp_cap,
                window=args.window,
                default_rates=args.default_rates,
            )
            await bot.start()
            broadcast_id = await confirm_broadcast(db)
            stop_probes = asyncio.Event()
            probes = Probes(bot)
            probing = asyncio.create_task(probes.run(stop_probes))
            total = args.recipients
            started = time.monotonic()

            def delivered() -> int:  # cheap (no scan of the recorded calls): sends let through
                return tg_gate.passed + wa_gate.passed

            async def far_enough() -> bool:
                return bool(delivered() >= total * float(args.kill_at))

            await wait_until(far_enough, 600)
            bot.kill()
            killed_at = time.monotonic()
            await bot.process.wait()  # type: ignore[union-attr]
            print(f"kill -9 after {delivered()} accepted sends; restarting", flush=True)
            await bot.start()

            async def finished() -> bool:
                states, _ = await asyncio.to_thread(outbox_states, db, broadcast_id)
                return states.get("pending", 0) + states.get("in_flight", 0) == 0

            await wait_until(finished, 900)
            wall = time.monotonic() - started
            stop_probes.set()
            await probing
            await asyncio.sleep(1.5)  # the last replies
            await bot.stop()
            states, possible_duplicates = outbox_states(db, broadcast_id)
            tg, wa = telegram_sends(telegram), whatsapp_sends(graph)
            tg_replies, wa_replies = first_replies(telegram, graph)
            tg_latencies = [
                (posted, tg_replies[chat] - posted)
                for chat, posted in probes.tg_sent.items()
                if chat in tg_replies
            ]
            wa_latencies = [
                (posted, wa_replies[key] - posted)
                for key, posted in probes.wa_sent.items()
                if key in wa_replies
            ]
            if os.environ.get("BENCH_DEBUG"):
                for name, rows in (("tg", tg_latencies), ("wa", wa_latencies)):
                    slow = sorted(rows, key=lambda r: -r[1])[:8]
                    print(name, [(round(p - killed_at, 2), round(lat, 3)) for p, lat in slow])
                for name, found in (("tg", tg), ("wa", wa)):
                    times = sorted(found.times)
                    buckets = Counter(int(t - times[0]) for t in times) if times else Counter()
                    print(name, "sends per second:", [buckets[i] for i in range(max(buckets) + 1)])
                    print(name, "kill at", round(killed_at - times[0], 1) if times else None)
            latencies = [latency for _, latency in tg_latencies + wa_latencies]
            unanswered = len(probes.tg_sent) + len(probes.wa_sent) - len(latencies)
            return report(
                args,
                telegram_count=telegram_count,
                whatsapp_count=whatsapp_count,
                sends={
                    "telegram": (tg, tg_gate, args.telegram_cap),
                    "whatsapp": (wa, wa_gate, args.whatsapp_cap),
                },
                killed_at=killed_at,
                wall=wall,
                states=states,
                possible_duplicates=possible_duplicates,
                latencies=latencies,
                unanswered=unanswered,
            )


def report(
    args: argparse.Namespace,
    *,
    telegram_count: int,
    whatsapp_count: int,
    sends: dict[str, tuple[Sends, Gate, float]],
    killed_at: float,
    wall: float,
    states: dict[str, int],
    possible_duplicates: int,
    latencies: list[float],
    unanswered: int,
) -> int:
    ok = True
    expected = {"telegram": telegram_count, "whatsapp": whatsapp_count}
    print(
        f"\nbroadcast to {args.recipients} recipients, wall time {wall:.1f} s "
        f"(including the restart), outbox: {dict(sorted(states.items()))}"
    )
    total_duplicates = 0
    for name, (channel_sends, gate, cap) in sends.items():
        times = sorted(channel_sends.times)
        # the restart gap: the longest silence in the sends around the kill
        near = [t for t in times if killed_at - 1.0 <= t <= killed_at + 60.0]
        gap = max((b - a for a, b in itertools.pairwise(near)), default=0.0)
        span = times[-1] - times[0] if times else 0.0
        sending_time = max(span - gap - gate.log.pauses, 1e-9)
        # what the platform counts against its cap: every message, announcements and replies
        inside = [t for t in channel_sends.every_send if times and times[0] <= t <= times[-1]]
        rate = len(inside) / sending_time
        broadcast_rate = len(times) / sending_time
        raw = len(times) / max(span, 1e-9)
        received = len(channel_sends.per_recipient)
        duplicates = sum(n - 1 for n in channel_sends.per_recipient.values())
        total_duplicates += duplicates
        lost = expected[name] - received
        print(
            f"{name:9} cap {cap:.0f}/s: {len(times)} accepted sends to {received} recipients; "
            f"rate {rate:.1f}/s = {100 * rate / cap:.1f} % of cap (announcements alone "
            f"{broadcast_rate:.1f}/s; raw {raw:.1f}/s over "
            f"{span:.1f} s; restart gap {gap:.1f} s; injected pauses {gate.log.pauses:.1f} s "
            f"from {gate.log.injected_429} injected 429s and {gate.log.throttled} over-cap); "
            f"5xx injected {gate.log.injected_5xx}; duplicates {duplicates}; lost {lost}"
        )
        share = 0.9 if args.default_rates else 0.95
        ok &= rate >= share * cap and lost == 0 and duplicates <= args.window
    failed = states.get("failed", 0) + states.get("blocked", 0)
    print(
        f"possible duplicates reported by the outbox: {possible_duplicates} "
        f"(actual {total_duplicates}; in-flight window {args.window} per channel)"
    )
    print(f"recorded failures: {failed}")
    ok &= total_duplicates <= possible_duplicates and failed == 0
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(
        f"user messages during the broadcast: {len(latencies)} answered, {unanswered} not "
        f"(posted while the bot was down are not counted); reply time p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms (goal p99 <= 1 s)"
    )
    ok &= p99 <= 1.0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"CPU: bot processes {children.ru_utime + children.ru_stime:.1f} s, fake platforms and "
        f"probes {own.ru_utime + own.ru_stime:.1f} s (machine: {os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.1f})"
    )
    print("RESULT:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--telegram-share", type=float, default=0.6)
    parser.add_argument("--telegram-cap", type=float, default=100.0)
    parser.add_argument("--whatsapp-cap", type=float, default=80.0)
    parser.add_argument("--window", type=int, default=64, help="rows in flight per channel")
    parser.add_argument("--kill-at", type=float, default=0.4, help="share sent before kill -9")
    parser.add_argument(
        "--default-rates",
        action="store_true",
        help="the bot's default broadcast rates (use with --telegram-cap 30 --whatsapp-cap 80)",
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
