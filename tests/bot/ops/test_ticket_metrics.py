"""The staff inbox on /metrics: tickets by status, topic and region, time to first answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from bot.app import App
from bot.store.ticket_relays import RelayDraft
from bot.web import create_web_app
from tests.bot.ops.test_routes import QuietChannel
from tests.fakes.telegram_api import serve_asgi


async def _ticket(app: App, external_id: str, region: str | None, topic: str) -> int:
    user = await app.store.people.touch("whatsapp", external_id)
    opened = await app.store.tickets.open(
        user_id=user.id,
        actor="x",
        channel="whatsapp",
        chat_id=external_id,
        locale="id",
        question="q",
        region_code=region,
        topic=topic,
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    return opened.ticket.id


async def test_tickets_on_metrics(app: App) -> None:
    first = await _ticket(app, "6281", "61.71", "jht_claim")
    await _ticket(app, "6282", None, "")
    answer = RelayDraft(kind="answer", channel="whatsapp", chat_id="6281", text="a")
    await app.store.tickets.answer(first, "staff", "a", answer)  # about two hours later
    async with (
        serve_asgi(create_web_app(app, [QuietChannel()]), lifespan="on") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        body = (await client.get("/metrics")).text
    assert 'jamsosbot_tickets{status="open"} 1.0' in body
    assert 'jamsosbot_tickets{status="answered"} 1.0' in body
    assert 'jamsosbot_tickets_by_topic{topic="jht_claim"} 1.0' in body
    assert 'jamsosbot_tickets_by_topic{topic="unknown"} 1.0' in body
    assert 'jamsosbot_tickets_by_region{region="61.71"} 1.0' in body
    histogram = "jamsosbot_ticket_first_answer_seconds"
    assert histogram + '_bucket{le="3600"} 0.0' in body
    assert histogram + '_bucket{le="7200"} 0.0' in body  # a little over two hours
    assert histogram + '_bucket{le="14400"} 1.0' in body
    assert histogram + "_count 1.0" in body
