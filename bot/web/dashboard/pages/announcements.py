"""Announcements: compose with a live preview per channel, audience counts, schedule,
cancel, live progress, delivery report with reasons, CSV of failures.

Reuses `bot.announcements` (build_draft, make_plan, preflight) and the broadcast store; a
broadcast made here is the same row the chat command and the outbox worker use.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.announcements.compose import ComposeError, Draft, build_draft
from bot.announcements.config import BroadcastConfig
from bot.announcements.plan import Plan, make_plan
from bot.announcements.preflight import template_parameter
from bot.announcements.timezones import zone_of
from bot.core.i18n import Translator
from bot.web.dashboard.security import mask
from bot.web.dashboard.site import PREFIX, Site, Staff

_ZONES = ("WIB", "WITA", "WIT")


def _draft(form: FormData, now: datetime) -> Draft:
    return build_draft(
        text_id=str(form.get("text_id", "")),
        text_en=str(form.get("text_en", "")) or None,
        region=str(form.get("region", "")).strip() or None,
        village_heads=form.get("village_heads") == "1",
        language=str(form.get("language", "")) or None,
        at=str(form.get("send_at", "")) or None,
        zone=str(form.get("zone", "")) or None,
        now=now,
    )


def routes(site: Site) -> list[BaseRoute]:
    def t_of(staff: Staff) -> Translator:
        return site.dispatcher.catalogues.translator(staff.locale)

    async def plan_of(form: FormData, staff: Staff) -> Plan | str:
        now = datetime.now(UTC)
        t = t_of(staff)
        try:
            draft = _draft(form, now)
            return await make_plan(
                site.store, draft, BroadcastConfig.from_settings(site.settings), t, now
            )
        except ComposeError as exc:
            return t(exc.key, **exc.values)

    async def page(request: Request, staff: Staff) -> Response:
        recent = await site.store.broadcasts.recent(20)
        return site.render(
            request,
            "announcements.html",
            staff,
            recent=recent,
            zones=_ZONES,
            preview=None,
            error="",
            form={},
        )

    async def preview(request: Request, staff: Staff) -> Response:
        form = await request.form()
        plan = await plan_of(form, staff)
        config = BroadcastConfig.from_settings(site.settings)
        return site.render(
            request,
            "announcement_preview.html",
            staff,
            plan=plan if isinstance(plan, Plan) else None,
            error=plan if isinstance(plan, str) else "",
            flatten=template_parameter,
            template_name=config.template_name,
        )

    async def create(request: Request, staff: Staff) -> Response:
        form = await request.form()
        plan = await plan_of(form, staff)
        if isinstance(plan, str) or plan.problems:
            t = t_of(staff)
            error = (
                plan
                if isinstance(plan, str)
                else "; ".join(t(p.key, **p.values) for p in plan.problems)
            )
            recent = await site.store.broadcasts.recent(20)
            return site.render(
                request,
                "announcements.html",
                staff,
                status=422,
                recent=recent,
                zones=_ZONES,
                preview=None,
                error=error,
                form=dict(form),
            )
        draft = plan.draft
        broadcast = await site.store.broadcasts.create(
            created_by=staff.address,
            text_id=draft.text_id,
            text_en=draft.text_en,
            audience=draft.audience,
            send_at=draft.send_at,
            recipients=plan.count.total,
        )
        await site.store.broadcasts.confirm(broadcast.id, staff.address, datetime.now(UTC))
        return RedirectResponse(f"{PREFIX}/pengumuman/{broadcast.id}", status_code=303)

    async def report_values(number: int) -> dict[str, Any] | None:
        report = await site.store.broadcasts.report(number)
        if report is None:
            return None
        broadcast = report.broadcast
        zone = zone_of(broadcast.audience.region_code)
        local = broadcast.send_at.astimezone(zone.tz) if broadcast.send_at else None
        return {"report": report, "broadcast": broadcast, "local": local, "zone": zone}

    async def detail(request: Request, staff: Staff) -> Response:
        values = await report_values(int(request.path_params["number"]))
        if values is None:
            return site.refuse(request, "dashboard.not_found", 404, staff)
        return site.render(request, "announcement.html", staff, **values)

    async def progress(request: Request, staff: Staff) -> Response:
        values = await report_values(int(request.path_params["number"]))
        if values is None:
            return site.refuse(request, "dashboard.not_found", 404, staff)
        return site.render(request, "announcement_progress.html", staff, **values)

    async def cancel(request: Request, staff: Staff) -> Response:
        number = int(request.path_params["number"])
        cancelled = await site.store.broadcasts.cancel(number, staff.address)
        target = f"{PREFIX}/pengumuman/{number}"
        if cancelled is None:
            return RedirectResponse(target + "?batal=terlambat", status_code=303)
        return RedirectResponse(target, status_code=303)

    async def failures(request: Request, staff: Staff) -> Response:
        number = int(request.path_params["number"])
        rows = await site.store.dashboard_views.failed_recipients(number)
        t = t_of(staff)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                t(f"dashboard.announcements.csv.{c}")
                for c in ("channel", "recipient", "state", "attempts", "reason")
            ]
        )
        for channel, chat_id, state, attempts, error in rows:
            writer.writerow([channel, mask(chat_id), state, attempts, error])
        await site.audit(
            staff, "broadcast.failures_csv", subject=f"#{number}", detail=f"rows={len(rows)}"
        )
        return Response(
            out.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="gagal-{number}.csv"'},
        )

    return [
        Route("/pengumuman", site.page(page), methods=["GET"]),
        Route("/pengumuman", site.page(create), methods=["POST"]),
        Route("/pengumuman/pratinjau", site.page(preview), methods=["POST"]),
        Route("/pengumuman/{number:int}", site.page(detail), methods=["GET"]),
        Route("/pengumuman/{number:int}/kemajuan", site.page(progress), methods=["GET"]),
        Route("/pengumuman/{number:int}/batal", site.page(cancel), methods=["POST"]),
        Route("/pengumuman/{number:int}/gagal.csv", site.page(failures), methods=["GET"]),
    ]
