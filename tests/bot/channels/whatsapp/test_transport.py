"""pywa always calls graph.facebook.com: the transport sends those calls to the configured URL."""

from __future__ import annotations

import httpx

from bot.channels.whatsapp.transport import GraphApiTransport


async def test_graph_calls_go_to_the_configured_server_and_others_stay() -> None:
    seen: list[tuple[str, str]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers["host"]))
        return httpx.Response(200, json={})

    transport = GraphApiTransport("http://gateway.local:8443/meta/", httpx.MockTransport(record))
    async with httpx.AsyncClient(transport=transport) as client:
        await client.post("https://graph.facebook.com/v23.0/123/messages", json={})
        await client.get("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")

    assert seen == [
        ("http://gateway.local:8443/meta/v23.0/123/messages", "gateway.local:8443"),
        (
            "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
            "lookaside.fbsbx.com",
        ),
    ]


async def test_the_default_url_changes_nothing() -> None:
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    transport = GraphApiTransport("https://graph.facebook.com", httpx.MockTransport(record))
    async with httpx.AsyncClient(transport=transport) as client:
        await client.get("https://graph.facebook.com/v23.0/media1")

    assert seen == ["https://graph.facebook.com/v23.0/media1"]
