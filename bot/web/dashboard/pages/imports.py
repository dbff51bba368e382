"""Imports: upload CSV or xlsx, see the dry run's row errors in a table, confirm; history.

The upload is kept under the data dir with a random name until confirmed (or replaced);
checking and writing go through `bot.imports.runner.import_file`, the same entry point as
the chat upload and the CLI.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.imports.rendering import KIND_LABELS, problem_text
from bot.imports.runner import KINDS, KindName, import_file
from bot.web.dashboard.site import Site, Staff

MAX_BYTES = 5 * 1024 * 1024
_SUFFIXES = (".csv", ".xlsx")
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}(\.csv|\.xlsx)$")


def _save(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def routes(site: Site) -> list[BaseRoute]:
    folder = site.settings.data_dir / "dashboard-uploads"

    def kind_of(value: object) -> KindName | None:
        return next((k for k in KINDS if k == value), None)

    async def history() -> list[object]:
        return list(await site.store.dashboard_views.audit(action="import.", limit=30))

    async def show(
        request: Request, staff: Staff, status: int = 200, **values: object
    ) -> Response:
        t = site.dispatcher.catalogues.translator(staff.locale)
        defaults: dict[str, object] = {
            "report": None,
            "upload": "",
            "kind": "targets",
            "error": "",
        }
        defaults.update(values)
        return site.render(
            request,
            "imports.html",
            staff,
            status=status,
            kinds=KINDS,
            labels=KIND_LABELS,
            history=await history(),
            problem_text=lambda p: problem_text(p, t),
            **defaults,
        )

    async def page(request: Request, staff: Staff) -> Response:
        return await show(request, staff)

    async def upload(request: Request, staff: Staff) -> Response:
        form = await request.form(max_part_size=MAX_BYTES)
        kind = kind_of(form.get("kind"))
        file = form.get("file")
        if kind is None or not isinstance(file, UploadFile) or not file.filename:
            return await show(request, staff, 422, error="dashboard.imports.choose")
        suffix = Path(file.filename).suffix.lower()
        if suffix not in _SUFFIXES:
            return await show(request, staff, 422, error="dashboard.imports.bad_type")
        try:
            content = await file.read(MAX_BYTES + 1)
        finally:
            await file.close()
        if len(content) > MAX_BYTES:
            return await show(request, staff, 413, error="dashboard.imports.too_big")
        upload_id = secrets.token_urlsafe(18) + suffix
        path = folder / upload_id
        await asyncio.to_thread(_save, path, content)
        report = await import_file(
            site.store,
            kind,
            path,
            today=site.dispatcher.today(),
            dry_run=True,
            filename=Path(file.filename).name,
            actor=staff.address,
        )
        if not report.ok:
            path.unlink(missing_ok=True)
            upload_id = ""
        await site.audit(
            staff,
            "import.check",
            subject=report.filename,
            detail=f"kind={kind} rows={report.rows} errors={len(report.errors)}",
        )
        return await show(request, staff, report=report, upload=upload_id, kind=kind)

    async def confirm(request: Request, staff: Staff) -> Response:
        form = await request.form()
        kind = kind_of(form.get("kind"))
        upload_id = str(form.get("upload", ""))
        filename = Path(str(form.get("filename", "upload"))).name
        path = folder / upload_id
        if kind is None or not _UPLOAD_ID.match(upload_id) or not path.is_file():
            return await show(request, staff, 410, error="dashboard.imports.expired")
        try:
            report = await import_file(
                site.store,
                kind,
                path,
                today=site.dispatcher.today(),
                filename=filename,
                actor=staff.address,
            )
        finally:
            path.unlink(missing_ok=True)
        return await show(request, staff, report=report, kind=kind)

    return [
        Route("/impor", site.page(page), methods=["GET"]),
        Route("/impor", site.page(upload), methods=["POST"]),
        Route("/impor/konfirmasi", site.page(confirm), methods=["POST"]),
    ]
