from __future__ import annotations

import itertools
import struct
from datetime import date
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from bot.answers.charts import (
    FONT_PT,
    PeerBar,
    ProgressPoint,
    TrendChart,
    VillageChart,
    build_village_figure,
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
    assert png_size(path) == (480, 640)
    assert 5_000 < path.stat().st_size <= 60_000
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


def zero_percent_chart() -> VillageChart:
    """Pangkalan Buton has registered nobody yet; four imports with long month names."""
    fmt = Formatter("id")
    days = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 10, 31))
    return VillageChart(
        title="Grafik capaian Desa Pangkalan Buton, target pekerja rentan 2026",
        progress_title="Terdaftar dari waktu ke waktu",
        registered_label="terdaftar",
        target_label="target",
        target=120,
        points=tuple(
            ProgressPoint(label=fmt.short_date(day), registered=n)
            for day, n in zip(days, (10, 48, 66, 80), strict=True)
        ),
        peers_title="Desa di Kec. Sukadana (%)",
        peers=(
            PeerBar(label="Pangkalan Buton", percent=0.0, highlight=True),
            PeerBar(label="Sutera", percent=94.74),
            PeerBar(label="Sejahtera", percent=55.83),
            PeerBar(label="Pampang Harapan", percent=63.22),
        ),
    )


def _drawn(figure: Figure) -> tuple[Axes, Axes, RendererAgg]:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    progress, peers = figure.axes
    return progress, peers, canvas.get_renderer()  # type: ignore[no-untyped-call]


def _bars(axes: Axes) -> list[Rectangle]:
    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def test_village_chart_shows_the_numbers_on_the_bars() -> None:
    progress, peers, _ = _drawn(build_village_figure(zero_percent_chart(), Formatter("id").number))
    heights = [patch.get_height() for patch in _bars(progress)]
    assert heights == [10, 48, 66, 80]
    progress_texts = {t.get_text() for t in progress.texts}
    assert {"10", "48", "66", "80", "target 120"} <= progress_texts
    peer_texts = [t.get_text() for t in peers.texts]
    assert peer_texts == ["0 %", "56 %", "63 %", "95 %"]  # lowest first (bottom up)
    names = [label.get_text() for label in peers.get_yticklabels()]
    assert names == ["Pangkalan Buton", "Sejahtera", "Pampang Harapan", "Sutera"]


def test_own_bar_is_visible_at_zero_percent() -> None:
    _, peers, _ = _drawn(build_village_figure(zero_percent_chart(), Formatter("id").number))
    own = _bars(peers)[0]  # Pangkalan Buton, 0 %
    assert own.get_width() >= peers.get_xlim()[1] * 0.01
    assert own.get_edgecolor() != peers.patches[1].get_edgecolor()  # outlined
    assert peers.get_yticklabels()[0].get_fontweight() == "bold"


def test_dates_do_not_overlap_and_text_is_legible() -> None:
    figure = build_village_figure(zero_percent_chart(), Formatter("id").number)
    progress, _, renderer = _drawn(figure)
    boxes = [label.get_window_extent(renderer) for label in progress.get_xticklabels()]
    assert len(boxes) == 4
    for left, right in itertools.pairwise(boxes):
        assert left.x1 < right.x0, "date labels overlap"
    texts = [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert len(texts) > 10
    small = [(t.get_text(), t.get_fontsize()) for t in texts if float(t.get_fontsize()) < FONT_PT]
    assert not small, small
    width, height = figure.get_size_inches() * figure.dpi
    assert (round(width), round(height)) == (480, 640)


async def test_zero_percent_chart_file_is_small(tmp_path: Path) -> None:
    fmt = Formatter("id")
    path = await village_chart(tmp_path, "61.11.01.2002", zero_percent_chart(), fmt.number)
    assert png_size(path) == (480, 640)
    assert 5_000 < path.stat().st_size <= 60_000
