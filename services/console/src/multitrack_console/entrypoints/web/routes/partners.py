"""The partners registry and one partner's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from multitrack_console.application import partners as pages
from multitrack_console.entrypoints.web.deps import ApiDep, PersonDep
from multitrack_console.entrypoints.web.pages import not_found, render

router = APIRouter(prefix="/partners")


@router.get("")
async def registry(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    entries = await pages.partner_registry(api)
    return render(request, "partners.html", person, entries=entries)


@router.get("/{partner_id}")
async def partner(
    request: Request, partner_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    view = await pages.partner_view(api, partner_id)
    if view is None:
        return not_found(request, person, "partner")
    return render(request, "partner.html", person, view=view)
