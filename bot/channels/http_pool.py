"""An httpx transport that spreads requests over a few small connection pools.

httpcore checks every connection of a pool, with a `poll()` on each idle socket, whenever a
request starts or a response is closed (encode/httpcore#928, still open). With 32 keep-alive
connections to one API, those checks took a third of the bot's CPU per answer. Small pools
keep each check short, and together they hold as many connections as one big pool.
"""

from __future__ import annotations

import math
import socket
from collections.abc import AsyncIterator

import httpx

# Nagle's algorithm would hold a request's body (a second write) until the peer's delayed
# ACK: about 40 ms per request on an idle keep-alive connection.
NO_DELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


class ShardedTransport(httpx.AsyncBaseTransport):
    """`connections` connections at most, in pools of `per_pool`; a request goes to the
    pool with the fewest requests in flight."""

    def __init__(self, *, connections: int, per_pool: int = 4):
        per_pool = max(1, min(per_pool, connections))
        count = max(1, math.ceil(connections / per_pool))
        limits = httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool)
        self._pools = [
            httpx.AsyncHTTPTransport(limits=limits, socket_options=NO_DELAY) for _ in range(count)
        ]
        self._in_flight = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = self._in_flight.index(min(self._in_flight))
        self._in_flight[index] += 1
        try:
            response = await self._pools[index].handle_async_request(request)
        except BaseException:
            self._in_flight[index] -= 1
            raise
        response.stream = _Released(response.stream, self._in_flight, index)
        return response

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()


class _Released(httpx.AsyncByteStream):
    """A response body that gives its pool's slot back when closed (the connection is
    busy until then)."""

    def __init__(
        self, inner: httpx.SyncByteStream | httpx.AsyncByteStream, counts: list[int], index: int
    ):
        if not isinstance(inner, httpx.AsyncByteStream):
            raise TypeError("an async transport returned a sync stream")
        self._inner = inner
        self._counts = counts
        self._index = index
        self._open = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        if self._open:
            self._open = False
            self._counts[self._index] -= 1
        await self._inner.aclose()
