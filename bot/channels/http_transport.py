"""An httpx transport that sends with aiohttp: pywa keeps its httpx client, and the requests
go out through aiohttp's connection pool (python-telegram-bot: see `telegram_request`).

httpx's own pool (httpcore on anyio) took about 0.4 ms of CPU per Bot API or Graph API call,
partly because it polls every pooled connection on each request (encode/httpcore#928, open);
aiohttp takes under 0.1 ms. That was the largest part of the bot's CPU per answered message.

httpx-aiohttp does the same, but maps a connection lost after the request went out to
`ConnectTimeout`, which our senders would retry (a duplicate message). Here only errors
before anything was sent map to `ConnectError`/`ConnectTimeout`; the rest are ambiguous.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator, Iterator

import aiohttp
import certifi
import httpx
from aiohttp.helpers import get_env_proxy_for_url
from yarl import URL

_CHUNK = 64 * 1024


@contextlib.contextmanager
def as_httpx_errors() -> Iterator[None]:
    """aiohttp's errors as the httpx ones callers handle, keeping the cause."""
    try:
        yield
    except aiohttp.ConnectionTimeoutError as exc:  # no connection within the time: not sent
        raise httpx.ConnectTimeout(str(exc) or "connect timeout") from exc
    except aiohttp.ClientConnectorError as exc:  # refused, DNS, TLS: not sent
        raise httpx.ConnectError(str(exc) or "cannot connect") from exc
    except TimeoutError as exc:  # aiohttp's read timeouts are TimeoutErrors too
        raise httpx.ReadTimeout(str(exc) or "read timeout") from exc
    except aiohttp.ServerDisconnectedError as exc:  # maybe after the request arrived
        raise httpx.RemoteProtocolError(str(exc) or "server disconnected") from exc
    except aiohttp.ClientPayloadError as exc:
        raise httpx.ReadError(str(exc) or "broken response body") from exc
    except aiohttp.ClientError as exc:
        raise httpx.NetworkError(str(exc) or type(exc).__name__) from exc


def new_session(connections: int) -> aiohttp.ClientSession:
    """An aiohttp session (call it on the running loop): `connections` kept alive at most."""
    tls = ssl.create_default_context(cafile=certifi.where())  # the CAs httpx trusts
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections, ssl=tls),
        auto_decompress=False,  # httpx decodes the body by its content-encoding
        cookie_jar=aiohttp.DummyCookieJar(),  # the APIs set no cookies
        # No trust_env: it re-reads the proxy settings and ~/.netrc on every request (0.8 ms
        # of CPU each). httpx has picked the proxy before our transport; for PTB see
        # `EnvProxies`.
    )


class EnvProxies:
    """The proxy HTTPS_PROXY / HTTP_PROXY / NO_PROXY name for a URL, looked up once per
    scheme and host (aiohttp's own lookup, as `trust_env` would do on every request)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[URL, aiohttp.BasicAuth | None] | None] = {}

    def for_url(self, url: str) -> tuple[URL, aiohttp.BasicAuth | None] | None:
        target = URL(url)
        key = (target.scheme, target.host or "")
        if key not in self._known:
            try:
                self._known[key] = get_env_proxy_for_url(target)
            except LookupError:
                self._known[key] = None
        return self._known[key]


class AiohttpTransport(httpx.AsyncBaseTransport):
    """At most `connections` kept-alive connections (per process, all hosts)."""

    def __init__(self, *, connections: int):
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # made on first use: it belongs to the running loop
            self._session = new_session(self._connections)
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {})
        body = await request.aread()  # JSON, or a multipart upload (a chart, ~50 kB)
        headers = [
            (name, value)
            for name, value in request.headers.multi_items()
            if name.lower() != "transfer-encoding"  # the body is sent whole, with its length
        ]
        with as_httpx_errors():
            response = await self._client().request(
                request.method,
                str(request.url),
                headers=headers,
                data=body or None,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),  # waiting for a free connection, and connecting
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            )
        return httpx.Response(
            status_code=response.status,
            headers=list(response.raw_headers),
            stream=_Body(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse):
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with as_httpx_errors():
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk

    async def aclose(self) -> None:
        self._response.release()  # the connection goes back to the pool (or is closed)
