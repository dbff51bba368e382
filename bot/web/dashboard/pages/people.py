"""Staff (admins only): grant and revoke staff roles, verify or reject village heads.

People are named by `channel:id` in the grant form and by their internal user id in hidden
fields, never in a URL; numbers are shown masked. Revoking ends the person's dashboard
sessions at once. Role changes are audited by the store.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.domain.roles import Role
from bot.web.dashboard.site import Site, Staff


def routes(site: Site) -> list[BaseRoute]:
    async def show(
        request: Request, staff: Staff, status: int = 200, **values: object
    ) -> Response:
        grants = await site.store.roles.granted()
        pending = await site.store.village_heads.pending()
        defaults: dict[str, object] = {"notice_key": "", "error": ""}
        defaults.update(values)
        return site.render(
            request,
            "people.html",
            staff,
            status=status,
            grants=grants,
            pending=pending,
            admins=site.settings.admins,
            **defaults,
        )

    async def page(request: Request, staff: Staff) -> Response:
        return await show(request, staff)

    async def grant(request: Request, staff: Staff) -> Response:
        form = await request.form()
        address = str(form.get("address", "")).strip()
        channel, _, external_id = address.partition(":")
        user = await site.store.people.find(channel.lower(), external_id) if external_id else None
        if user is None:
            return await show(request, staff, 422, error="dashboard.staff.unknown_user")
        await site.store.roles.grant(user.id, Role.STAFF, granted_by=staff.address)
        return await show(request, staff, notice_key="dashboard.staff.granted")

    async def revoke(request: Request, staff: Staff) -> Response:
        form = await request.form()
        raw = str(form.get("user_id", ""))
        if not raw.isdigit() or not await site.store.roles.revoke(int(raw), staff.address):
            return await show(request, staff, 422, error="dashboard.staff.no_role")
        await site.store.dashboard.end_sessions_of(int(raw))
        return await show(request, staff, notice_key="dashboard.staff.revoked")

    async def village_head(request: Request, staff: Staff) -> Response:
        form = await request.form()
        raw, village = str(form.get("user_id", "")), str(form.get("village", ""))
        if not raw.isdigit():
            return await show(request, staff, 422, error="dashboard.staff.no_role")
        if form.get("decision") == "verify":
            done = await site.store.village_heads.verify(int(raw), village, staff.address)
            action, key = "village_head.verify", "dashboard.staff.verified"
        else:
            done = await site.store.village_heads.unlink(int(raw))
            action, key = "village_head.reject", "dashboard.staff.rejected"
        if not done:
            return await show(request, staff, 422, error="dashboard.staff.no_role")
        await site.audit(staff, action, subject=f"user:{raw}", detail=village)
        return await show(request, staff, notice_key=key)

    return [
        Route("/staf", site.page(page, admin=True), methods=["GET"]),
        Route("/staf/tambah", site.page(grant, admin=True), methods=["POST"]),
        Route("/staf/cabut", site.page(revoke, admin=True), methods=["POST"]),
        Route("/staf/kades", site.page(village_head, admin=True), methods=["POST"]),
    ]
