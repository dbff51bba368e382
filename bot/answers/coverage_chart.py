"""A regency's PU/BPU participants over the years as a PNG, for the coverage answers."""

from __future__ import annotations

from bot.answers.charts import TrendChart, trend_chart
from bot.core.context import HandlerContext
from bot.domain.messages import Image
from bot.regions.model import Region


async def coverage_trend_image(ctx: HandlerContext, region: Region) -> Image | None:
    """PU and BPU per reported year; None when fewer than two years have either figure.

    Years without a figure are left blank, never drawn as zero.
    """
    records = [r for r in await ctx.store.coverage.for_region(region.code) if r.pu or r.bpu]
    if len(records) < 2:
        return None
    spec = TrendChart(
        title=ctx.t("charts.trend.title", region=region.name),
        years=tuple(r.year for r in records),
        series=(
            (ctx.t("charts.trend.pu"), tuple(r.pu for r in records)),
            (ctx.t("charts.trend.bpu"), tuple(r.bpu for r in records)),
        ),
    )
    folder = ctx.store.path.parent / "charts"
    path = await trend_chart(folder, region.code, spec, ctx.fmt.number)
    sources = "; ".join(dict.fromkeys(r.source for r in records))
    return Image(
        path=path, caption=ctx.t("charts.trend.caption", region=region.name, source=sources)
    )
