from __future__ import annotations

import struct
from pathlib import Path

from bot.answers.charts import (
    PeerBar,
    ProgressPoint,
    TrendChart,
    VillageChart,
    top_peers,
    trend_chart,
    village_chart,
)
from bot.core.formatting import Formatter

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def sukadana_chart() -> VillageChart:
    return VillageChart(
        title="Desa Sutera: target pekerja rentan 2025",
        progress_title="Terdaftar",
        registered_label="terdaftar",
        target_label="target",
        target=120,
        points=(
            ProgressPoint(label="30 Jun", registered=48),
            ProgressPoint(label="30 Sep", registered=66),
        ),
        peers_title="Kec. Sukadana (%)",
        peers=(
            PeerBar(label="Sutera", percent=55.0, highlight=True),
            PeerBar(label="Pangkalan Buton", percent=67.33),
            PeerBar(label="Sejahtera", percent=25.0),
            PeerBar(label="Simpang Tiga", percent=35.0),
        ),
    )


async def test_village_chart_is_a_small_phone_sized_png(tmp_path: Path) -> None:
    fmt = Formatter("id")
    path = await village_chart(tmp_path / "charts", "61.11.01.2001", sukadana_chart(), fmt.number)
    assert path.parent == tmp_path / "charts"
    assert png_size(path) == (640, 360)
    assert 5_000 < path.stat().st_size < 150_000
    again = await village_chart(tmp_path / "charts", "61.11.01.2001", sukadana_chart(), fmt.number)
    assert again == path
    assert [p.name for p in (tmp_path / "charts").iterdir()] == [path.name]


async def test_trend_chart_skips_unknown_years(tmp_path: Path) -> None:
    spec = TrendChart(
        title="Kabupaten Ketapang: peserta",
        years=(2022, 2023, 2024),
        series=(("PU", (None, 71405, 80101)), ("BPU", (None, 29647, 42217))),
    )
    path = await trend_chart(tmp_path, "61.04", spec, Formatter("id").number)
    assert png_size(path) == (640, 360)
    assert 5_000 < path.stat().st_size < 150_000


def test_top_peers_keeps_the_highlighted_village() -> None:
    peers = [PeerBar(label=f"Desa {i}", percent=100 - i) for i in range(20)]
    peers.append(PeerBar(label="Sutera", percent=1, highlight=True))
    shown = top_peers(peers, limit=5)
    assert [p.label for p in shown] == ["Desa 0", "Desa 1", "Desa 2", "Desa 3", "Sutera"]
