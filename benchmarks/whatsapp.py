"""WhatsApp webhook to answer: latency and sustained throughput over real HTTP on loopback.

The bot runs as `jamsosbot serve` in its own process (uvicorn, the real ASGI app, a fresh
database, the WhatsApp channel pointed at a fake Graph API). This process plays Meta: it
POSTs signed webhooks over keep-alive connections (each message from a new person, "halo"
and typical questions) and serves a minimal fake Graph API that notes when each answer
arrives. Both are kept light so the figures are the bot's. Latency = from sending the POST
to the first outgoing message for that person.

After a warm-up of 320 messages (not measured):
1. 100 webhooks/s for 10 s (open loop): p50 / p99 latency. Goal: p99 <= 20 ms.
2. 4,000 webhooks from 32 connections as fast as the bot takes them: answers per second.
   Goal: >= 500 messages/s sustained.

The sending pace is raised for the run (JAMSOS_WHATSAPP_MESSAGES_PER_SECOND=5000): Meta's
own cap (80/s per number, 1,000/s after an upgrade) is not what is measured here.

Run: .venv/bin/python benchmarks/whatsapp.py
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.whatsapp.webhook import sign  # noqa: E402

SECRET = "benchmark-app-secret"
PHONE_ID = "1122334455667"
API_VERSION = "23.0"
RATE = 100
SECONDS = 10
BURST_MESSAGES = 4000
CONNECTIONS = 32
WARM_UP = 320  # messages before measuring (about 3 s at RATE)
QUESTIONS = ["halo", "berapa iuran bpu sebulan", "cara klaim jht", "makasih", "menu"]


def wa_id(number: int) -> str:
    return f"62811{number:08d}"


def webhook(number: int) -> bytes:
    message = {
        "from": wa_id(number),
        "from_user_id": f"ID.{900000000 + number}",
        "id": f"wamid.BENCH{number:08d}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": QUESTIONS[number % len(QUESTIONS)]},
    }
    contact = {
        "profile": {"name": "Pekerja"},
        "wa_id": wa_id(number),
        "user_id": message["from_user_id"],
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": PHONE_ID},
        "contacts": [contact],
        "messages": [message],
    }
    change = {"field": "messages", "value": value}
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    return json.dumps(payload).encode()


class GraphApi(asyncio.Protocol):
    """A minimal keep-alive HTTP/1.1 fake of `POST /v{ver}/{phone_id}/messages`."""

    arrivals: ClassVar[dict[str, float]] = {}  # recipient -> first message time
    sent = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end].decode("latin-1").lower()
            length = 0
            for line in head.split("\r\n"):
                if line.startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            if len(self.buffer) < head_end + 4 + length:
                return
            body = self.buffer[head_end + 4 : head_end + 4 + length]
            self.buffer = self.buffer[head_end + 4 + length :]
            self.answer(body)

    def answer(self, body: bytes) -> None:
        now = time.monotonic()
        request = json.loads(body)
        recipient = request.get("to") or request.get("recipient")
        GraphApi.arrivals.setdefault(recipient, now)
        GraphApi.sent += 1
        key = "wa_id" if request.get("to") else "user_id"
        reply = json.dumps(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": recipient, key: recipient}],
                "messages": [{"id": f"wamid.OUT{GraphApi.sent}"}],
            }
        ).encode()
        self.transport.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(reply)).encode()
            + b"\r\n\r\n"
            + reply
        )


class Poster:
    """One keep-alive connection to the bot's webhook."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Poster:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def post(self, number: int, started: dict[str, float]) -> int:
        body = webhook(number)
        head = (
            "POST /whatsapp HTTP/1.1\r\nhost: bot\r\ncontent-type: application/json\r\n"
            f"x-hub-signature-256: {sign(body, SECRET)}\r\ncontent-length: {len(body)}\r\n\r\n"
        )
        started[wa_id(number)] = time.monotonic()
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    def close(self) -> None:
        self.writer.close()


async def wait_answered(numbers: range, within: float = 60.0) -> dict[str, float]:
    wanted = [wa_id(n) for n in numbers]
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:  # polling the fake's notes is simplest
        if all(w in GraphApi.arrivals for w in wanted):
            break
        await asyncio.sleep(0.05)
    return {w: GraphApi.arrivals[w] for w in wanted if w in GraphApi.arrivals}


async def wait_ready(port: int, process: asyncio.subprocess.Process) -> None:
    for _ in range(1200):
        if process.returncode is not None:
            raise RuntimeError("the bot exited; see its log")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("the bot did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def main() -> None:
    loop = asyncio.get_running_loop()
    graph = await loop.create_server(GraphApi, "127.0.0.1", 0)
    graph_port = graph.sockets[0].getsockname()[1]
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "NO_PROXY": "127.0.0.1,localhost",
            "JAMSOS_DATA_DIR": data,
            "JAMSOS_LOG_LEVEL": "WARNING",
            "JAMSOS_WHATSAPP_TOKEN": "benchmark-token",
            "JAMSOS_WHATSAPP_PHONE_ID": PHONE_ID,
            "JAMSOS_WHATSAPP_APP_SECRET": SECRET,
            "JAMSOS_WHATSAPP_VERIFY_TOKEN": "benchmark",
            "JAMSOS_WHATSAPP_API_URL": f"http://127.0.0.1:{graph_port}",
            "JAMSOS_WHATSAPP_API_VERSION": API_VERSION,
            "JAMSOS_WHATSAPP_MESSAGES_PER_SECOND": "5000",
        }
        log_path = Path(data) / "bot.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                env=env,
                cwd=data,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
            try:
                await wait_ready(port, process)
                print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
                await run(port, process.pid)
            finally:
                process.terminate()
                await process.wait()
                graph.close()
        if process.returncode not in (0, -15):
            print(log_path.read_text(errors="replace")[-2000:])


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(port: int, bot_pid: int) -> None:
    started: dict[str, float] = {}
    posters = [await Poster.open(port) for _ in range(CONNECTIONS)]
    refused = 0

    # warm-up (not measured): connections, caches, every kind of question, start-up jobs
    for batch in range(WARM_UP // CONNECTIONS):
        batch_numbers = range(batch * CONNECTIONS, (batch + 1) * CONNECTIONS)
        statuses = await asyncio.gather(
            *(p.post(n, started) for p, n in zip(posters, batch_numbers, strict=True))
        )
        refused += sum(status != 200 for status in statuses)
        await asyncio.sleep(CONNECTIONS / RATE)
    await wait_answered(range(WARM_UP // CONNECTIONS * CONNECTIONS))
    await asyncio.sleep(1)

    # 1. open loop at RATE per second, each POST on the next free connection
    first, total = 10_000, RATE * SECONDS
    free: asyncio.Queue[Poster] = asyncio.Queue()
    for poster in posters:
        free.put_nowait(poster)

    async def one(number: int) -> None:
        nonlocal refused
        poster = await free.get()
        try:
            refused += await poster.post(number, started) != 200
        finally:
            free.put_nowait(poster)

    tasks = []
    begin = time.monotonic()
    for i in range(total):
        delay = begin + i / RATE - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(first + i)))
    await asyncio.gather(*tasks)
    answered = await wait_answered(range(first, first + total))
    latencies = sorted((answered[k] - started[k]) * 1000 for k in answered)
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"latency at {RATE}/s for {SECONDS} s: {len(latencies)}/{total} answered, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms (goal: p99 <= 20 ms)"
    )

    # 2. sustained: every connection posts its next message as soon as the last is accepted
    first = 100_000
    numbers = iter(range(first, first + BURST_MESSAGES))

    async def keep_posting(poster: Poster) -> None:
        nonlocal refused
        for number in numbers:
            refused += await poster.post(number, started) != 200

    cpu_before = cpu_seconds(bot_pid)
    begin = time.monotonic()
    await asyncio.gather(*(keep_posting(poster) for poster in posters))
    accepted = time.monotonic() - begin
    answered = await wait_answered(range(first, first + BURST_MESSAGES))
    elapsed = max(answered.values()) - begin
    print(
        f"sustained: {len(answered)}/{BURST_MESSAGES} answered in {elapsed:.2f} s = "
        f"{len(answered) / elapsed:.0f} messages/s (webhooks accepted at "
        f"{BURST_MESSAGES / accepted:.0f}/s; goal: >= 500 messages/s)"
    )
    cpu_after = cpu_seconds(bot_pid)
    if cpu_before is not None and cpu_after is not None:
        per_message = (cpu_after - cpu_before) / BURST_MESSAGES * 1000
        print(f"bot CPU time: {per_message:.2f} ms per message (all its threads)")
    if refused:
        print(f"webhook POSTs not answered 200: {refused}")
    for poster in posters:
        poster.close()


if __name__ == "__main__":
    asyncio.run(main())
