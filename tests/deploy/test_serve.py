"""`jamsosbot serve` started exactly as the deploy files start it: /healthz and /metrics.

The command and environment come from deploy/compose.yaml and deploy/jamsosbot.service; only
the address (127.0.0.1, a free port) and the data directory (a temporary one) are changed.
The Docker HEALTHCHECK command is then run against the server, and its log must not show
any secret.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.deploy.deployment import (
    DEPLOY,
    compose,
    dockerfile_instructions,
    exec_form,
    unit_environment,
    unit_values,
)

BIN = Path(sys.executable).parent
WHATSAPP = {
    "JAMSOS_WHATSAPP_TOKEN": "EAAGtesttokenVALUE0123456789abcdef",
    "JAMSOS_WHATSAPP_PHONE_ID": "109876543210987",
    "JAMSOS_WHATSAPP_APP_SECRET": "app-secret-for-tests-0123456789",
    "JAMSOS_WHATSAPP_VERIFY_TOKEN": "verify-me-please-42",
    "JAMSOS_WHATSAPP_API_URL": "http://127.0.0.1:9",  # nothing listens: replies fail fast
    "JAMSOS_WHATSAPP_MAX_ATTEMPTS": "1",
    "JAMSOS_WHATSAPP_BACKOFF_SECONDS": "0.01",
}
PHONE = "6281234567890"
NIK = "3201234567890001"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp" / "text.json"
START_UP_LIMIT = 90.0  # seconds; a bound for a hung start-up, not a speed target


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    env: dict[str, str]
    log: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(words: list[str]) -> list[str]:
    """The deploy command with its program taken from this virtualenv."""
    return [str(BIN / Path(words[0]).name), *words[1:]]


def _start(command: list[str], deploy_env: dict[str, str], data_dir: Path) -> Server:
    port = _free_port()
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(data_dir),
        "NO_PROXY": "*",
        **deploy_env,
        "JAMSOS_HOST": "127.0.0.1",
        "JAMSOS_PORT": str(port),
        "JAMSOS_DATA_DIR": str(data_dir),
        "MPLCONFIGDIR": str(data_dir / "mpl"),
    }
    process = subprocess.Popen(
        command,
        env=env,
        cwd=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, env=env)
    deadline = time.monotonic() + START_UP_LIMIT
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                _, server.log = process.communicate()
                pytest.fail(f"serve exited with {process.returncode}:\n{server.log[-3000:]}")
            try:
                client.get(f"{server.url}/healthz")
                return server
            except httpx.TransportError:
                time.sleep(0.1)
    _stop(server)
    pytest.fail("serve did not answer in time")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)  # what `docker stop` and systemd send
    _, server.log = server.process.communicate(timeout=60)


@pytest.fixture
def compose_server(data_dir: Path, trained_model: Path) -> Iterator[Server]:
    bot = compose()["services"]["bot"]
    server = _start(_command(bot["command"]), {**bot["environment"], **WHATSAPP}, data_dir)
    yield server
    _stop(server)


@pytest.fixture
def systemd_server(data_dir: Path, trained_model: Path) -> Iterator[Server]:
    service = DEPLOY / "jamsosbot.service"
    (exec_start,) = unit_values(service, "Service", "ExecStart")
    server = _start(_command(exec_start.split()), unit_environment(service), data_dir)
    yield server
    _stop(server)


def _signed_message(text: str) -> tuple[bytes, dict[str, str]]:
    """A WhatsApp text-message webhook from PHONE, signed with the app secret as Meta does."""
    payload = copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8")))
    value = payload["entry"][0]["changes"][0]["value"]
    value["metadata"]["phone_number_id"] = WHATSAPP["JAMSOS_WHATSAPP_PHONE_ID"]
    value["contacts"][0]["wa_id"] = PHONE
    message = value["messages"][0]
    message["from"] = PHONE
    message["text"]["body"] = text
    body = json.dumps(payload).encode()
    secret = WHATSAPP["JAMSOS_WHATSAPP_APP_SECRET"].encode()
    signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return body, {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}


def _healthcheck_command() -> list[str]:
    (health,) = [args for op, args in dockerfile_instructions() if op == "HEALTHCHECK"]
    return _command(exec_form(health.split(" CMD ", 1)[1]))


def test_compose_server_is_healthy_and_serves_metrics(compose_server: Server) -> None:
    with httpx.Client(base_url=compose_server.url, trust_env=False, timeout=10) as client:
        health = client.get("/healthz")
        metrics = client.get("/metrics")
        challenge = client.get(
            "/whatsapp",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": WHATSAPP["JAMSOS_WHATSAPP_VERIFY_TOKEN"],
                "hub.challenge": "1158201444",
            },
        )
    assert health.status_code == 200, health.text
    document = health.json()
    assert document["status"] == "ok" and document["database"] == "ok"
    assert document["channels"] == {"telegram": "off", "whatsapp": "running"}
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    for name in (
        "jamsosbot_messages_in_total",
        "jamsosbot_messages_out_total",
        "jamsosbot_questions_total",
        "jamsosbot_fallbacks_total",
        "jamsosbot_webhooks_refused_total",
        "jamsosbot_build_info",
        "process_cpu_seconds_total",
        "jamsosbot_reply_seconds",
        "jamsosbot_errors_total",
        "jamsosbot_broadcast_recipients",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in metrics.text, name
    assert challenge.status_code == 200 and challenge.text == "1158201444"

    # A worker writes their phone number and NIK; the reply cannot be delivered (no Graph
    # API), so the error path is logged too. None of it may reach the log.
    text = f"tolong cek saldo, NIK {NIK}, hp +62 812-3456-7890"
    body, headers = _signed_message(text)
    with httpx.Client(base_url=compose_server.url, trust_env=False, timeout=10) as client:
        assert client.post("/whatsapp", content=body, headers=headers).status_code == 200
        deadline = time.monotonic() + START_UP_LIMIT
        while 'kind="channels.whatsapp"' not in (scraped := client.get("/metrics").text):
            assert time.monotonic() < deadline, "the reply was never attempted"
            time.sleep(0.1)
    assert 'jamsosbot_messages_in_total{channel="whatsapp"' in scraped
    assert 'jamsosbot_errors_total{kind="channels.whatsapp",level="warning"}' in scraped

    probe = subprocess.run(
        _healthcheck_command(), env=compose_server.env, capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 0, probe.stderr

    _stop(compose_server)
    # uvicorn shuts down cleanly, then the store is closed: nothing left running, exit 0.
    assert compose_server.process.returncode == 0, compose_server.log[-3000:]
    assert "still running" not in compose_server.log
    lines = [json.loads(line) for line in compose_server.log.splitlines() if line.strip()]
    events = [line["event"] for line in lines]
    assert any(event.startswith("serving on") for event in events)
    assert any(event.startswith("Finished server process") for event in events)
    assert all("\x1b" not in str(line) for line in lines)
    assert any(line.get("channel") == "whatsapp" for line in lines)  # the message event
    secrets = [WHATSAPP[k] for k in ("JAMSOS_WHATSAPP_TOKEN", "JAMSOS_WHATSAPP_APP_SECRET")]
    secrets.append(WHATSAPP["JAMSOS_WHATSAPP_VERIFY_TOKEN"])
    for private in (*secrets, PHONE, NIK, "812-3456-7890", "cek saldo", "Siti Rahayu"):
        assert private not in compose_server.log, private


def test_systemd_server_without_channels_reports_unhealthy(systemd_server: Server) -> None:
    with httpx.Client(base_url=systemd_server.url, trust_env=False, timeout=10) as client:
        health = client.get("/healthz")
        metrics = client.get("/metrics")
    assert health.status_code == 503
    assert health.json()["database"] == "ok"
    assert health.json()["channels"] == {"telegram": "off", "whatsapp": "off"}
    assert metrics.status_code == 200 and "jamsosbot_build_info{" in metrics.text
    probe = subprocess.run(
        _healthcheck_command(), env=systemd_server.env, capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 1
