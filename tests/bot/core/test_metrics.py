"""/metrics: process and build info, the fallback counter pair, refused webhooks."""

from __future__ import annotations

import logging
import platform
from pathlib import Path

import httpx
import pytest

from bot.app import App, build_channels
from bot.config import Settings
from bot.core.metrics import REFUSAL_LOG_INTERVAL, Metrics, build_version
from bot.regions.finder import RegionFinder
from bot.web import create_web_app
from tests.conftest import copy_seeded
from tests.fakes.telegram_api import serve_asgi


def observe(metrics: Metrics, *, answered: bool | None, channel: str = "telegram") -> None:
    metrics.observe_message(
        channel=channel, user_id="1", intent="x", answered=answered, replies=1, seconds=0.01
    )


def test_process_and_build_information() -> None:
    body = Metrics().render().decode()
    assert "process_cpu_seconds_total " in body
    assert "process_resident_memory_bytes " in body
    assert "process_start_time_seconds " in body
    assert "python_info{" in body
    version = build_version()
    line = f'jamsosbot_build_info{{python="{platform.python_version()}",version="{version}"}} 1.0'
    assert line in body


def test_the_fallback_rate_is_a_counter_pair() -> None:
    metrics = Metrics()
    observe(metrics, answered=True)
    observe(metrics, answered=False)
    observe(metrics, answered=False, channel="whatsapp")
    observe(metrics, answered=None)  # a command, no question
    body = metrics.render().decode()
    assert 'jamsosbot_questions_total{channel="telegram"} 2.0' in body
    assert 'jamsosbot_fallbacks_total{channel="telegram"} 1.0' in body
    assert 'jamsosbot_questions_total{channel="whatsapp"} 1.0' in body
    assert 'jamsosbot_fallbacks_total{channel="whatsapp"} 1.0' in body
    assert "jamsosbot_fallback_ratio" not in body  # since-start ratios hide what changed


def test_refused_webhooks_are_counted_each_and_logged_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    metrics = Metrics(clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="bot.webhooks"):
        for _ in range(5):
            metrics.webhook_refused("whatsapp", "signature_mismatch")
        metrics.webhook_refused("telegram", "secret")
        now[0] += REFUSAL_LOG_INTERVAL + 1
        metrics.webhook_refused("whatsapp", "signature_mismatch")
    body = metrics.render().decode()
    mismatch = 'channel="whatsapp",reason="signature_mismatch"'
    assert f"jamsosbot_webhooks_refused_total{{{mismatch}}} 6.0" in body
    assert 'jamsosbot_webhooks_refused_total{channel="telegram",reason="secret"} 1.0' in body
    lines = [(r.channel, r.reason, r.since_last_line) for r in caplog.records]  # type: ignore[attr-defined]
    assert lines == [
        ("whatsapp", "signature_mismatch", 1),
        ("telegram", "secret", 1),
        ("whatsapp", "signature_mismatch", 5),  # four held back in the first minute, and this
    ]


async def test_a_forged_whatsapp_webhook_is_refused_and_counted(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        whatsapp_token="EAAG-test-token",
        whatsapp_phone_id="1234567",
        whatsapp_app_secret="app-secret-value",
        whatsapp_verify_token="verify-me",
        whatsapp_api_url="http://127.0.0.1:9",  # never reached: nothing is answered
    )
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)
    try:
        web = create_web_app(app, build_channels(app))
        async with serve_asgi(web, lifespan="on") as url, httpx.AsyncClient(base_url=url) as c:
            forged = await c.post(
                "/whatsapp", content=b"{}", headers={"X-Hub-Signature-256": "sha256=00"}
            )
            unsigned = await c.post("/whatsapp", content=b"{}")
            verify = await c.get("/whatsapp", params={"hub.mode": "subscribe"})
            body = (await c.get("/metrics")).text
    finally:
        await app.close()
    assert (forged.status_code, unsigned.status_code, verify.status_code) == (403, 401, 403)
    for reason in ("signature_mismatch", "signature_missing", "verify_token"):
        line = f'jamsosbot_webhooks_refused_total{{channel="whatsapp",reason="{reason}"}} 1.0'
        assert line in body
