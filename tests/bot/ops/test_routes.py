"""`/healthz` and `/metrics` of the ASGI app, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import httpx
from starlette.routing import BaseRoute

from bot.app import App
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.domain.messages import ChatRef, Incoming, Reply
from bot.web import create_web_app
from tests.fakes.telegram_api import serve_asgi


class QuietChannel:
    """A configured channel that needs no webhook (as Telegram in polling mode)."""

    name = "telegram"

    def __init__(self) -> None:
        self.started = False

    def routes(self) -> Sequence[BaseRoute]:
        return []

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        raise DeliveryFailed(FailureKind.TRANSIENT, "not connected")


async def test_healthz_is_ok_with_database_and_a_channel(app: App) -> None:
    channel = QuietChannel()
    async with serve_asgi(create_web_app(app, [channel]), lifespan="on") as url:
        assert channel.started
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "schema_version": await app.store.schema_version(),
        "channels": {"telegram": "running", "whatsapp": "off"},
    }


async def test_healthz_is_unhealthy_without_any_channel(app: App) -> None:
    async with (
        serve_asgi(create_web_app(app, []), lifespan="on") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["database"] == "ok"


async def test_healthz_reports_an_unreachable_database(app: App, tmp_path: Path) -> None:
    async with serve_asgi(create_web_app(app, [QuietChannel()]), lifespan="on") as url:
        await app.store.close()  # the database is gone from under the server
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/healthz")
        app.store = await type(app.store).open(app.settings.database_path)  # for teardown
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


async def test_metrics_count_messages_fallbacks_latency_and_errors(app: App) -> None:
    chat = ChatRef(channel="telegram", user_id="42", chat_id="42")
    async with serve_asgi(create_web_app(app, [QuietChannel()]), lifespan="on") as url:
        await app.dispatcher.handle(Incoming(chat=chat, text="halo"))
        await app.dispatcher.handle(Incoming(chat=chat, text="cuaca besok gimana"))
        await app.dispatcher.handle(Incoming(chat=chat, text="harga cabai di pasar hari ini"))
        logging.getLogger("bot.channels.telegram").error("send failed")
        logging.getLogger("bot.outbox").error("gave up", extra={"kind": "broadcast.delivery"})
        logging.getLogger("bot.channels.whatsapp").warning("reply not delivered")
        logging.getLogger("bot.channels.whatsapp").info("an ordinary event")
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert 'jamsosbot_messages_in_total{channel="telegram",intent="greeting"} 1.0' in body
    assert 'jamsosbot_messages_in_total{channel="telegram",intent="fallback"} 2.0' in body
    assert 'jamsosbot_messages_out_total{channel="telegram",intent="greeting"} 1.0' in body
    assert 'jamsosbot_unanswered_total{channel="telegram"} 2.0' in body
    assert 'jamsosbot_questions_total{channel="telegram"} 3.0' in body
    assert 'jamsosbot_fallbacks_total{channel="telegram"} 2.0' in body
    assert 'jamsosbot_reply_seconds_count{channel="telegram"} 3.0' in body
    assert 'jamsosbot_errors_total{kind="channels.telegram",level="error"} 1.0' in body
    assert 'jamsosbot_errors_total{kind="broadcast.delivery",level="error"} 1.0' in body
    assert 'jamsosbot_errors_total{kind="channels.whatsapp",level="warning"} 1.0' in body
    assert 'level="info"' not in body
    assert "# TYPE jamsosbot_broadcast_recipients gauge" in body


async def test_errors_are_no_longer_counted_after_the_server_stopped(app: App) -> None:
    async with serve_asgi(create_web_app(app, [QuietChannel()]), lifespan="on"):
        pass
    logging.getLogger("bot.after").error("late")
    assert 'kind="after"' not in app.dispatcher.metrics.render().decode()


async def test_eval_runs_are_not_counted(app: App) -> None:
    chat = ChatRef(channel="console", user_id="eval", chat_id="eval")
    await app.dispatcher.process(Incoming(chat=chat, text="halo"), record=False)
    assert "jamsosbot_messages_in_total{" not in app.dispatcher.metrics.render().decode()
