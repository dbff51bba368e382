"""Small PNG charts for phones, rendered with matplotlib's Agg canvas off the event loop.

Every label comes in from the caller (already localized); files go to the data dir's
`charts/` folder, named by a digest of what they show, so the same chart is drawn once.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:  # matplotlib (~40 MB resident) is imported by the drawing functions only
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

SIZE_INCHES = (6.4, 3.6)
DPI = 100  # 640 x 360 px: sharp enough on a phone, a few tens of kilobytes
VILLAGE_INCHES = (4.8, 6.4)  # 480 x 640 px portrait: shown at full width in a chat bubble
FONT_PT = 11  # the smallest text on the village chart, at the size sent
TITLE_PT = 12
TITLE_WIDTH = 40  # characters per title line
MAX_POINTS = 5  # imports shown on the progress panel (the latest)
LABEL_CHARS = 16  # village names on the peers panel
STUB_FRACTION = 0.015  # of the axis: the width a 0 % own bar is drawn with
MAX_PEERS = 8
PALETTE_COLOURS = 64  # flat bars and anti-aliased text need few colours
_MAIN, _OTHER, _TARGET, _EDGE = "#1b6ca8", "#b8c7d6", "#d1495b", "#0b3954"
NumberFormat = Callable[[int], str]  # whole numbers on the axes


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressPoint:
    label: str  # the as-of date, formatted
    registered: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerBar:
    label: str  # village name
    percent: float
    highlight: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class VillageChart:
    title: str
    progress_title: str
    registered_label: str
    target_label: str
    target: int
    points: tuple[ProgressPoint, ...]
    peers_title: str
    peers: tuple[PeerBar, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendChart:
    title: str
    years: tuple[int, ...]
    series: tuple[tuple[str, tuple[int | None, ...]], ...]  # (label, one value per year)


def _digest(kind: str, spec: object) -> str:
    raw = json.dumps(asdict(spec), sort_keys=True, default=str)  # type: ignore[call-overload]
    return hashlib.sha256(f"{kind}:{raw}".encode()).hexdigest()[:16]


def _save(figure: Figure, path: Path, *, colours: int | None = None) -> Path:
    """Write the PNG atomically; `colours` reduces it to a palette (a third of the bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{uuid4().hex}.tmp")
    FigureCanvasAgg(figure)
    if colours is None:
        figure.savefig(partial, format="png", dpi=DPI)
    else:
        from PIL import Image

        drawn = io.BytesIO()
        figure.savefig(drawn, format="png", dpi=DPI)
        drawn.seek(0)
        with Image.open(drawn) as image:
            palette = image.convert("RGB").quantize(colors=colours)
        palette.save(partial, format="png", optimize=True)
    partial.replace(path)
    return path


def top_peers(peers: Sequence[PeerBar], limit: int = MAX_PEERS) -> list[PeerBar]:
    """The best `limit` villages by percent, always keeping the highlighted one."""
    ranked = sorted(peers, key=lambda p: -p.percent)
    shown = ranked[:limit]
    mine = next((p for p in ranked if p.highlight), None)
    if mine is not None and mine not in shown:
        shown = [*shown[: limit - 1], mine]
    return shown


def build_village_figure(spec: VillageChart, number: NumberFormat) -> Figure:
    """The village chart, readable in a chat bubble on a cheap phone: two panels one above the
    other (portrait), every text at least FONT_PT at the size sent, the figure on each bar,
    dates on two lines, and the village's own bar outlined (so 0 % still shows)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=VILLAGE_INCHES, dpi=DPI, layout="constrained")
    figure.suptitle(textwrap.fill(spec.title, TITLE_WIDTH), fontsize=TITLE_PT)
    progress, peers = figure.subplots(2, 1, height_ratios=(1, 1.3))
    points = spec.points[-MAX_POINTS:]
    labels = ["\n".join(point.label.rsplit(" ", 1)) for point in points]  # "30 Sep\n2026"
    values = [p.registered for p in points]
    bars = progress.bar(labels, values, color=_MAIN, label=spec.registered_label)
    progress.bar_label(bars, labels=[number(v) for v in values], fontsize=FONT_PT, padding=2)
    progress.axhline(spec.target, color=_TARGET, linestyle="--", linewidth=2)
    progress.annotate(
        f"{spec.target_label} {number(spec.target)}",
        xy=(0, spec.target),
        xycoords=("axes fraction", "data"),
        xytext=(2, 3),
        textcoords="offset points",
        color=_TARGET,
        fontsize=FONT_PT,
    )
    progress.set_title(spec.progress_title, fontsize=FONT_PT)
    progress.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value))))
    progress.yaxis.set_major_locator(_few_ticks())
    progress.tick_params(labelsize=FONT_PT)
    progress.set_ylim(0, max([spec.target, *values]) * 1.3 or 1)
    shown = list(reversed(top_peers(spec.peers)))
    top = max([bar.percent for bar in shown] + [100.0]) * 1.2  # the whole way to the target
    stub = top * STUB_FRACTION  # a 0 % bar is drawn this wide so the village still sees it
    drawn = peers.barh(
        [_short(bar.label) for bar in shown],
        [max(bar.percent, stub) if bar.highlight else bar.percent for bar in shown],
        color=[_MAIN if bar.highlight else _OTHER for bar in shown],
        edgecolor=[_EDGE if bar.highlight else _OTHER for bar in shown],
        linewidth=1.5,
    )
    peers.bar_label(
        drawn,
        labels=[f"{number(round(bar.percent))} %" for bar in shown],
        fontsize=FONT_PT,
        padding=3,
    )
    for tick, bar in zip(peers.get_yticklabels(), shown, strict=True):
        if bar.highlight:
            tick.set_fontweight("bold")
    peers.set_xlim(0, top)
    peers.set_title(spec.peers_title, fontsize=FONT_PT)
    peers.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{number(round(value))} %"))
    peers.xaxis.set_major_locator(_few_ticks())
    peers.tick_params(labelsize=FONT_PT)
    return figure


def _few_ticks() -> MaxNLocator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, integer=True)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def draw_village(spec: VillageChart, path: Path, number: NumberFormat) -> Path:
    """Top: registered per import against the target; bottom: the district's villages."""
    return _save(build_village_figure(spec, number), path, colours=PALETTE_COLOURS)


def draw_trend(spec: TrendChart, path: Path, number: NumberFormat) -> Path:
    """Grouped bars per year (e.g. PU and BPU participants of a regency)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    axes = figure.subplots()
    axes.set_title(spec.title, fontsize=10)
    width = 0.8 / max(len(spec.series), 1)
    positions = range(len(spec.years))
    colours = (_MAIN, _TARGET, _OTHER)
    for index, (label, values) in enumerate(spec.series):
        xs = [x + index * width for x, v in zip(positions, values, strict=True) if v is not None]
        ys = [v for v in values if v is not None]
        axes.bar(xs, ys, width=width, label=label, color=colours[index % len(colours)])
    axes.set_xticks([x + width * (len(spec.series) - 1) / 2 for x in positions])
    axes.set_xticklabels([str(year) for year in spec.years])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value))))
    axes.tick_params(labelsize=8)
    axes.legend(fontsize=8)
    return _save(figure, path)


async def village_chart(folder: Path, code: str, spec: VillageChart, number: NumberFormat) -> Path:
    path = folder / f"village-{code}-{_digest('village', spec)}.png"
    if await asyncio.to_thread(path.exists):
        return path
    return await asyncio.to_thread(draw_village, spec, path, number)


async def trend_chart(folder: Path, code: str, spec: TrendChart, number: NumberFormat) -> Path:
    path = folder / f"trend-{code}-{_digest('trend', spec)}.png"
    if await asyncio.to_thread(path.exists):
        return path
    return await asyncio.to_thread(draw_trend, spec, path, number)
