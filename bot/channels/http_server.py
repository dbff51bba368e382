"""The web server's limits: slow or unfinished requests are cut off, not kept open forever.

uvicorn closes idle keep-alive connections, but it waits without end for the headers of a
request and for its body: 300 half-sent requests from one client were all kept open. Here the
headers must arrive within `HEADER_TIMEOUT` and `MAX_HEADER_BYTES` (else the connection is
closed, with 431 for oversized headers); the body has `BODY_TIMEOUT` (`http_body.read_body`).
Caddy, in front in production, has the same limits (`deploy/Caddyfile`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, ClassVar

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

if TYPE_CHECKING:
    from starlette.types import ASGIApp

log = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0  # seconds from connection (or the previous response) to full headers
MAX_HEADER_BYTES = 16 * 1024  # Telegram's and Meta's webhook headers are well under 2 KiB
KEEP_ALIVE = 5  # seconds an idle connection is kept for the next request
LIMIT_CONCURRENCY = 512  # connections + requests in progress; beyond: 503 at once
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"connection: close\r\ncontent-length: 0\r\n\r\n"
)


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap for request headers."""

    header_timeout: ClassVar[float] = HEADER_TIMEOUT
    max_header_bytes: ClassVar[int] = MAX_HEADER_BYTES

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._reading_headers = True
        self._header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_headers:
            self._arm()
            self._header_bytes += len(data)
        super().data_received(data)
        if self._reading_headers and self._header_bytes > self.max_header_bytes:
            log.warning("request headers over %d bytes: connection closed", self.max_header_bytes)
            self._disarm()
            if not self.transport.is_closing():
                self.transport.write(_TOO_LARGE)
                self.transport.close()

    def on_headers_complete(self) -> None:
        self._reading_headers = False
        self._header_bytes = 0
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_headers = True  # the next request on this connection, when it comes

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self._reading_headers and not self.transport.is_closing():
            log.info(
                "request headers not complete in %.0f s: connection closed", self.header_timeout
            )
            self.transport.close()


def server_config(
    app: ASGIApp,
    *,
    host: str,
    port: int,
    header_timeout: float = HEADER_TIMEOUT,
    limit_concurrency: int = LIMIT_CONCURRENCY,
    **options: Any,
) -> uvicorn.Config:
    """The uvicorn configuration `jamsosbot serve` runs with (and the tests check)."""
    protocol = type(
        "GuardedHttpProtocol",
        (GuardedHttpProtocol,),
        {"header_timeout": header_timeout},
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=limit_concurrency,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,  # used if h11 is ever chosen
        log_config=None,
        access_log=False,
        **options,
    )
