"""Files sent to the bot: downloaded for staff (spreadsheet imports), within getFile's limit."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from pathlib import Path

from telegram import Document
from telegram.error import TelegramError

from bot.domain.messages import Attachment

log = logging.getLogger(__package__)

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # the Bot API's getFile limit
_UNSAFE_FILENAME = re.compile(r"[^\w.-]")


def too_big(document: Document) -> bool:
    return document.file_size is not None and document.file_size > MAX_DOWNLOAD_BYTES


async def download(document: Document, folder: Path) -> Attachment | None:
    """The document saved under `folder` with a safe unique name; None if the download failed."""
    filename = Path(document.file_name or "upload").name
    safe_name = _UNSAFE_FILENAME.sub("_", filename)[-100:]
    target = folder / f"{uuid.uuid4().hex}-{safe_name}"
    try:
        file = await document.get_file()
        content = await file.download_as_bytearray()
        await asyncio.to_thread(_write_file, target, bytes(content))
    except TelegramError:
        log.exception("telegram: could not download a document")
        return None
    return Attachment(path=target, filename=filename, mime_type=document.mime_type)


def _write_file(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
