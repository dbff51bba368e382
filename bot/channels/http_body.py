"""Reading a webhook's raw body with a size limit, shared by the Telegram and WhatsApp routes."""

from __future__ import annotations

from starlette.requests import Request


async def read_body(request: Request, limit: int) -> bytes | None:
    """The raw body, or None past `limit` bytes (stops reading there).

    The raw bytes are what a signature is computed over (WhatsApp) and what is kept for
    replay (Telegram), so the body is never parsed and serialized again.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
