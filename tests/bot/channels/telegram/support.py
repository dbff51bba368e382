"""Shared pieces of the Telegram channel tests: a test router, a tiny PNG, app builders."""

from __future__ import annotations

import asyncio
import struct
import zlib
from pathlib import Path

from bot.app import App
from bot.config import Settings
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogues
from bot.core.payload import encode
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Image, Incoming, Reply
from bot.domain.roles import STAFF_ROLES, Role
from bot.domain.understanding import Slots, Understander
from bot.store import Store
from handlers import ROUTERS

EVERYONE = frozenset(Role)
LONG_TEXT = "\n\n".join(f"Paragraf {n}: " + "kata " * 180 for n in range(12))  # ~11,000 chars
LONG_PAYLOAD = encode(Intent.HELP, Slots(place="Desa " + "Sukamaju Makmur Sejahtera " * 4))


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


class ChannelTestRouter:
    """Commands the tests use to make the core answer with a chart, long text, or slowly."""

    def __init__(self, folder: Path):
        self.router = Router("telegram_test")
        self.chart_path = folder / "chart.png"
        self.release = asyncio.Event()
        self.documents: list[tuple[str, bytes, str]] = []
        router = self.router

        @router.command("grafik", roles=EVERYONE)
        async def chart(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            image = Image(path=self.chart_path, caption="Cakupan 2026")
            return [Reply(text="Grafik cakupan", image=image)]

        @router.command("panjang", roles=EVERYONE)
        async def long_text(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            return [Reply(text=LONG_TEXT, buttons=(Button(title="Menu", payload="help"),))]

        @router.command("tombolpanjang", roles=EVERYONE)
        async def long_button(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            return [Reply(text="Pilih", buttons=(Button(title="Desa", payload=LONG_PAYLOAD),))]

        @router.command("lambat", roles=EVERYONE)
        async def slow(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            await self.release.wait()
            return [Reply(text="Selesai")]

        @router.command("document", roles=STAFF_ROLES)
        async def document(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            assert msg.attachment is not None
            content = msg.attachment.path.read_bytes()
            self.documents.append((msg.attachment.filename, content, args))
            return [Reply(text=f"Diterima {msg.attachment.filename}")]


async def app_with(
    settings: Settings,
    extra: Router,
    *,
    understander: Understander,
    catalogues: Catalogues,
    test_documents: bool = True,
) -> App:
    """The real core on its own store, its dispatcher extended by a test router.

    Understanding and catalogues are built once per session (they are read-only); routers
    with a `document` command give way to the test's own unless `test_documents` is False.
    """
    store = await Store.open(settings.database_path)
    routers = [r for r in ROUTERS if not (test_documents and "document" in r.commands)]
    if not test_documents:
        extra = Router("telegram_test_empty")
    dispatcher = Dispatcher(
        store=store,
        understander=understander,
        catalogues=catalogues,
        routers=[*routers, extra],
        admins=settings.admins,
        timezone=settings.timezone,
        max_message_chars=settings.max_message_chars,
    )
    return App(settings=settings, store=store, dispatcher=dispatcher)
