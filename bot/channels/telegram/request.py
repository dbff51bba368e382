"""python-telegram-bot's Bot API requests sent with aiohttp.

`BaseRequest` is python-telegram-bot's interface for plugging in another HTTP library; its
own `HTTPXRequest` spent about 0.5 ms of CPU per call in httpx and httpcore, aiohttp about
0.1 ms. Parameters go as a form, files as multipart, exactly as `HTTPXRequest` sends them.
Errors reach PTB as `TimedOut` / `NetworkError` caused by the httpx error of the same meaning
(`http_transport.as_httpx_errors`), so the sender can tell "surely not sent" from "maybe sent".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.http_transport import EnvProxies, as_httpx_errors, new_session

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput  # the type BaseRequest's signature uses


class AiohttpRequest(BaseRequest):
    """Timeouts in seconds, as `HTTPXRequest` takes them (aiohttp has no write timeout: the
    read timeout covers a stalled upload too)."""

    def __init__(
        self,
        *,
        connections: int,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ):
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies = EnvProxies()

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = new_session(self._connections)

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_given(pool_timeout, self._pool_timeout),  # a free connection, connected
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=_given(read_timeout, self._read_timeout),
        )
        proxy, proxy_auth = self._proxies.for_url(url) or (None, None)
        try:
            with as_httpx_errors():
                async with self._session.request(
                    method,
                    url,
                    data=_body(request_data),
                    headers={"User-Agent": self.USER_AGENT},
                    timeout=timeout,
                    proxy=proxy,
                    proxy_auth=proxy_auth,
                ) as response:
                    return response.status, await response.read()
        except httpx.TimeoutException as exc:
            raise TimedOut from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"httpx.{type(exc).__name__}: {exc}") from exc


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """The timeout a call passed, else ours (PTB passes a `DefaultValue` marker)."""
    return value if value is None or isinstance(value, int | float) else default


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, Any] | None:
    """Form fields (JSON-encoded values), and files as multipart parts."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
