from __future__ import annotations

import struct

from bot.answers.coverage_chart import coverage_trend_image
from bot.app import App
from bot.core.context import HandlerContext
from bot.domain.intents import Intent
from tests.conftest import worker_context


async def context(app: App) -> HandlerContext:
    user = await app.store.people.touch("console", "u1")
    t = app.dispatcher.catalogues.translator("id")
    return worker_context(app.store, user, t, Intent.COVERAGE_REGION)


async def test_ketapang_trend_from_the_shipped_coverage(app: App) -> None:
    ctx = await context(app)
    ketapang = await app.store.regions.get("61.04")
    assert ketapang is not None
    image = await coverage_trend_image(ctx, ketapang)
    assert image is not None
    data = image.path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (640, 360)
    assert 5_000 < len(data) < 150_000
    assert image.path.parent == app.settings.data_dir / "charts"
    assert "Kabupaten Ketapang" in image.caption and "Harian Equator" in image.caption


async def test_region_without_data_gets_no_chart(app: App) -> None:
    ctx = await context(app)
    kayong_utara = await app.store.regions.get("61.11")
    assert kayong_utara is not None
    assert await coverage_trend_image(ctx, kayong_utara) is None
