"""Pointing pywa at the configured Graph API server (a gateway, or a test fake)."""

from __future__ import annotations

import httpx

from bot.channels.http_transport import AiohttpTransport

GRAPH_HOST = "graph.facebook.com"
HTTP_CONNECTIONS = 64  # to the Graph API: one per message in flight (about 0.2 s each)


class GraphApiTransport(httpx.AsyncBaseTransport):
    """Sends pywa's graph.facebook.com requests to the configured API server."""

    def __init__(self, api_url: str, inner: httpx.AsyncBaseTransport | None = None):
        self._target = httpx.URL(api_url.rstrip("/"))
        self._inner = inner or AiohttpTransport(connections=HTTP_CONNECTIONS)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._target
        if request.url.host == GRAPH_HOST and target.host != GRAPH_HOST:
            request.url = request.url.copy_with(
                scheme=target.scheme,
                host=target.host,
                port=target.port,
                path=target.path.rstrip("/") + request.url.path,
            )
            request.headers["Host"] = target.netloc.decode()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
