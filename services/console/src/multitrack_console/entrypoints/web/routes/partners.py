"""The partners registry."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from multitrack_console.application import partners as pages
from multitrack_console.entrypoints.web.deps import ApiDep, PersonDep
from multitrack_console.entrypoints.web.pages import render

router = APIRouter(prefix="/partners")


@router.get("")
async def registry(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    entries = await pages.partner_registry(api)
    return render(request, "partners.html", person, entries=entries)
