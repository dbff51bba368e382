"""Villages: a regency's villages with target, registered, remaining, percent, rank and change;
sortable and filterable; a progress chart; an xlsx export staff can forward."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.core.i18n import Translator
from bot.store.targets import VillageTarget
from bot.web.dashboard.site import Site, Staff

SORTS = ("rank", "name", "target", "registered", "remaining", "percent", "change")


@dataclass(frozen=True, slots=True)
class VillageRow:
    code: str
    name: str
    district: str
    target: int
    registered: int
    remaining: int
    percent: Decimal | None
    rank: int
    change: int | None
    source: str
    as_of: date


async def village_rows(site: Site, regency: str, year: int) -> list[VillageRow]:
    targets = await site.store.targets.latest_in(regency, year)
    previous = await site.store.dashboard_views.previous_registered(regency, year)
    codes = {t.village_code for t in targets} | {t.district_code for t in targets}
    names = await site.store.regions.get_many(codes)

    def percent_key(t: VillageTarget) -> Decimal:
        return t.percent if t.percent is not None else Decimal(-1)

    ranked = sorted(targets, key=lambda t: (-percent_key(t), t.village_code))
    rank = {t.village_code: n for n, t in enumerate(ranked, 1)}
    return [
        VillageRow(
            code=t.village_code,
            name=names[t.village_code].name if t.village_code in names else t.village_code,
            district=names[t.district_code].name if t.district_code in names else "",
            target=t.target,
            registered=t.registered,
            remaining=t.remaining,
            percent=t.percent,
            rank=rank[t.village_code],
            change=t.registered - previous[t.village_code] if t.village_code in previous else None,
            source=t.source,
            as_of=t.as_of,
        )
        for t in ranked
    ]


def sort_rows(rows: list[VillageRow], key: str, descending: bool) -> list[VillageRow]:
    def value(row: VillageRow) -> tuple[int, object]:
        chosen = getattr(row, key if key in SORTS else "rank")
        return (0, chosen) if chosen is not None else (1, 0)

    present = [r for r in rows if value(r)[0] == 0]
    missing = [r for r in rows if value(r)[0] == 1]
    return sorted(present, key=value, reverse=descending) + missing


def workbook(rows: list[VillageRow], t: Translator, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "desa"
    sheet.append([title])
    sheet.append(
        [
            t(f"dashboard.villages.col.{c}")
            for c in (
                "code",
                "name",
                "district",
                "target",
                "registered",
                "remaining",
                "percent",
                "rank",
                "change",
                "as_of",
                "source",
            )
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.code,
                r.name,
                r.district,
                r.target,
                r.registered,
                r.remaining,
                float(r.percent) / 100 if r.percent is not None else None,
                r.rank,
                r.change,
                r.as_of.isoformat(),
                r.source,
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).number_format = "0.0%"
    for column, width in zip("ABCDEFGHIJK", (14, 24, 20, 9, 10, 10, 8, 6, 8, 11, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def routes(site: Site) -> list[BaseRoute]:
    async def choose(request: Request) -> tuple[list[tuple[str, int, str, int]], str, int]:
        areas = await site.store.dashboard_views.target_areas()
        names = await site.store.regions.get_many(a.regency_code for a in areas)
        options = [
            (
                a.regency_code,
                a.year,
                names[a.regency_code].name if a.regency_code in names else a.regency_code,
                a.villages,
            )
            for a in areas
        ]
        wanted = request.query_params.get("kabupaten", "")
        code, _, year = wanted.partition("/")
        for option in options:
            if option[0] == code and str(option[1]) == year:
                return options, option[0], option[1]
        if options:
            return options, options[0][0], options[0][1]
        return options, "", 0

    async def page(request: Request, staff: Staff) -> Response:
        options, regency, year = await choose(request)
        rows = await village_rows(site, regency, year) if regency else []
        query = request.query_params.get("cari", "").strip().lower()
        if query:
            rows = [r for r in rows if query in r.name.lower() or query in r.district.lower()]
        key = request.query_params.get("urut", "rank")
        descending = request.query_params.get("arah", "") == "turun"
        rows = sort_rows(rows, key, descending)
        total_target = sum(r.target for r in rows)
        total_registered = sum(r.registered for r in rows)
        return site.render(
            request,
            "villages.html",
            staff,
            options=options,
            regency=regency,
            year=year,
            rows=rows,
            query=query,
            key=key,
            descending=descending,
            sorts=SORTS,
            total_target=total_target,
            total_registered=total_registered,
            chart=rows[:30],
        )

    async def export(request: Request, staff: Staff) -> Response:
        options, regency, year = await choose(request)
        if not regency:
            return site.refuse(request, "dashboard.villages.none", 404, staff)
        rows = await village_rows(site, regency, year)
        name = next((o[2] for o in options if o[0] == regency and o[1] == year), regency)
        t = site.dispatcher.catalogues.translator(staff.locale)
        title = t("dashboard.villages.export_title", name=name, year=year)
        content = await asyncio.to_thread(workbook, rows, t, title)
        await site.audit(staff, "villages.export", subject=regency, detail=f"year={year}")
        filename = f"desa-{regency.replace('.', '')}-{year}.xlsx"
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )

    return [
        Route("/desa", site.page(page), methods=["GET"]),
        Route("/desa/ekspor.xlsx", site.page(export), methods=["GET"]),
    ]
