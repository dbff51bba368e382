"""Small PNG charts for phones, rendered with matplotlib's Agg canvas off the event loop.

Every label comes in from the caller (already localized); files go to the data dir's
`charts/` folder, named by a digest of what they show, so the same chart is drawn once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:  # matplotlib (~40 MB resident) is imported by the drawing functions only
    from matplotlib.figure import Figure

SIZE_INCHES = (6.4, 3.6)
DPI = 100  # 640 x 360 px: sharp enough on a phone, a few tens of kilobytes
MAX_PEERS = 10
_MAIN, _OTHER, _TARGET = "#1b6ca8", "#b8c7d6", "#d1495b"
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


def _save(figure: Figure, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{uuid4().hex}.tmp")
    FigureCanvasAgg(figure)
    figure.savefig(partial, format="png", dpi=DPI)
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


def draw_village(spec: VillageChart, path: Path, number: NumberFormat) -> Path:
    """Left: registered per import against the target; right: the district's villages."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    figure.suptitle(spec.title, fontsize=10)
    progress, peers = figure.subplots(1, 2, width_ratios=(1, 1.2))
    labels = [point.label for point in spec.points]
    progress.bar(
        labels, [p.registered for p in spec.points], color=_MAIN, label=spec.registered_label
    )
    progress.axhline(spec.target, color=_TARGET, linestyle="--", label=spec.target_label)
    progress.set_title(spec.progress_title, fontsize=9)
    progress.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value))))
    progress.tick_params(labelsize=7)
    progress.set_ylim(0, max([spec.target, *(p.registered for p in spec.points)]) * 1.35 or 1)
    progress.legend(fontsize=7, loc="upper left", ncols=2)
    shown = list(reversed(top_peers(spec.peers)))
    peers.barh(
        [bar.label for bar in shown],
        [bar.percent for bar in shown],
        color=[_MAIN if bar.highlight else _OTHER for bar in shown],
    )
    peers.set_title(spec.peers_title, fontsize=9)
    peers.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{number(round(value))} %"))
    peers.tick_params(labelsize=7)
    return _save(figure, path)


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
