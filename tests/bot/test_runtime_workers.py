"""`serve --workers 2` on PostgreSQL over the fake Telegram API: real processes, real HTTP.

Updates posted to the shared port are answered once each, redeliveries included, and after
one worker is killed with SIGKILL the supervisor's other worker (and the restarted one) go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.channels.telegram.webhook import SECRET_HEADER
from bot.store import Store
from bot.store.broadcasts import Audience
from tests import postgres
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, message_update, running_fake

SECRET = "workers-secret_123"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
async def database(postgres_clones: postgres.Clones, trained_model: Path) -> AsyncIterator[str]:
    """A migrated, seeded PostgreSQL database of its own (skips or fails like the others)."""
    assert postgres.URL is not None
    name = postgres_clones.take()
    yield postgres.with_database(postgres.URL, name)
    postgres_clones.give_back(name)


@contextlib.asynccontextmanager
async def _workers(
    database: str, fake: FakeTelegramAPI, tmp_path: Path, port: int, **extra: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JAMSOS_DATABASE_URL": database,
        "JAMSOS_DATA_DIR": str(tmp_path / "data"),
        "JAMSOS_TELEGRAM_TOKEN": TOKEN,
        "JAMSOS_TELEGRAM_API_URL": fake.url,
        "JAMSOS_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "JAMSOS_PUBLIC_URL": "https://bot.example.go.id",
        "NO_PROXY": "127.0.0.1,localhost",
        **extra,
    }
    supervisor = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--workers", "2",
        "--host", "127.0.0.1", "--port", str(port),
        env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        await fake.wait_for("setWebhook", 2, within=240)  # both workers are up
        yield supervisor
    finally:
        if supervisor.returncode is None:
            supervisor.send_signal(signal.SIGTERM)
        async with asyncio.timeout(60):
            await supervisor.wait()


async def _post(port: int, update: dict[str, object]) -> int:
    """One webhook call on a new connection (so the kernel may pick either worker); a refused
    connection (a worker just killed) is retried, as Telegram redelivers."""
    for _ in range(50):
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                response = await client.post(
                    "/telegram", json=update, headers={SECRET_HEADER: SECRET}, timeout=30
                )
            if response.status_code == 200:
                return 200
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    return 0


async def _until_done(store: Store, broadcast_id: int) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        broadcast = await store.broadcasts.get(broadcast_id)
        if broadcast is not None and broadcast.status == "done":
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"broadcast {broadcast_id} not done within 180 s")


async def _answered(fake: FakeTelegramAPI, count: int) -> int:
    await fake.wait_for("sendMessage", count, within=60)
    await asyncio.sleep(2.0)  # anything answered twice would arrive by now
    return len(fake.calls_of("sendMessage"))


async def test_two_workers_answer_each_update_once_and_survive_a_kill(
    database: str, tmp_path: Path
) -> None:
    port = _free_port()
    async with running_fake() as fake, _workers(database, fake, tmp_path, port) as supervisor:
        workers = _children(supervisor.pid)
        assert len(workers) == 2

        first = [message_update(700 + n % 10, "/start") for n in range(20)]
        assert await asyncio.gather(*(_post(port, u) for u in first)) == [200] * 20
        assert await _answered(fake, 20) == 20
        # Telegram redelivers: the same updates again, to whichever worker.
        assert await asyncio.gather(*(_post(port, u) for u in first[:10])) == [200] * 10

        os.kill(workers[0], signal.SIGKILL)  # a worker dies mid-run
        second = [message_update(800 + n % 10, "/start") for n in range(20)]
        assert await asyncio.gather(*(_post(port, u) for u in second)) == [200] * 20
        assert await _answered(fake, 40) == 40  # each update answered once
        answered = {c.params["chat_id"] for c in fake.calls_of("sendMessage")}
        assert len(answered) == 20


async def test_a_broadcast_finishes_after_the_sending_worker_is_killed(
    database: str, tmp_path: Path
) -> None:
    recipients, window, rate = 400, 32, 80.0
    store = await Store.open(database, files=tmp_path)
    try:
        for n in range(recipients):
            user = await store.people.touch("telegram", str(9000 + n))
            await store.people.subscribe(user.id)
    finally:
        await store.close()
    async with (
        running_fake() as fake,
        _workers(
            database,
            fake,
            tmp_path,
            _free_port(),
            JAMSOS_TELEGRAM_BROADCAST_RATE=str(rate),
            JAMSOS_BROADCAST_WINDOW=str(window),
        ) as supervisor,
    ):
        store = await Store.open(database, seed=False, files=tmp_path)
        try:
            draft = await store.broadcasts.create(
                created_by="cli:test", text_id="Pengumuman", text_en=None,
                audience=Audience(), send_at=None, recipients=recipients,
            )  # fmt: skip
            await store.broadcasts.confirm(draft.id, "cli:test", datetime.now(UTC))
            await fake.wait_for("sendMessage", int(recipients * 0.4), within=120)
            lease = await store.outbox.sender_lease()
            assert lease is not None
            sender = int(lease.holder.split(":")[1])
            assert sender in _children(supervisor.pid)
            os.kill(sender, signal.SIGKILL)  # the worker that sends dies mid-broadcast
            killed = time.monotonic()
            await _until_done(store, draft.id)
            report = await store.broadcasts.report(draft.id)
        finally:
            await store.close()
        sends = Counter(int(c.params["chat_id"]) for c in fake.calls_of("sendMessage"))
        assert report is not None
        assert report.states == {"sent": recipients}  # nothing lost, nothing failed
        assert set(sends) == {9000 + n for n in range(recipients)}
        duplicates = sum(n - 1 for n in sends.values())
        # Only what was in flight at the kill can arrive twice, and the report says so.
        assert duplicates <= window and duplicates <= report.possible_duplicates
        print(
            f"broadcast after kill: {recipients} recipients, duplicates {duplicates}"
            f" (possible {report.possible_duplicates}, window {window}),"
            f" finished {time.monotonic() - killed:.1f} s after the kill"
        )
