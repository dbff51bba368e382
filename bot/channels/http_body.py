"""Reading a webhook's raw body with a size limit and a deadline, for the Telegram and WhatsApp
routes."""

from __future__ import annotations

import asyncio

from starlette.requests import Request

BODY_TIMEOUT = 10.0  # seconds for the whole body: Meta and Telegram send a few KiB at once


class SlowBody(Exception):
    """The body did not arrive within the deadline (answer 408; the sender may retry)."""


async def read_body(request: Request, limit: int) -> bytes | None:
    """The raw body, or None past `limit` bytes (stops reading there).

    Raises `SlowBody` past `BODY_TIMEOUT` seconds: uvicorn has no body timeout, and a client
    trickling bytes would otherwise hold a connection and a task for ever.
    The raw bytes are what a signature is computed over (WhatsApp) and what is kept for
    replay (Telegram), so the body is never parsed and serialized again.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    timeout = BODY_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
    except TimeoutError as exc:
        raise SlowBody(f"body not complete in {timeout:.0f} s") from exc
    return b"".join(chunks)
