"""The invitations pipeline, one invitation, its assessment and its decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from multitrack_console.application import invitations as pages
from multitrack_console.application.ports import Refused
from multitrack_console.entrypoints.web.deps import ApiDep, PersonDep, require_csrf
from multitrack_console.entrypoints.web.pages import back_to, not_found, render

router = APIRouter(prefix="/invitations", dependencies=[Depends(require_csrf)])


@router.get("")
async def pipeline(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    stages = await pages.invitation_pipeline(api)
    return render(request, "invitations.html", person, stages=stages)


@router.get("/{invitation_id}")
async def invitation(
    request: Request, invitation_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    view = await pages.invitation_view(api, invitation_id)
    if view is None:
        return not_found(request, person, "invitation")
    return render(request, "invitation.html", person, view=view, verdicts=pages.VERDICTS)


@router.post("/{invitation_id}/assessment")
async def assess(
    request: Request,
    invitation_id: str,
    person: PersonDep,
    api: ApiDep,
    assessed_by: Annotated[str, Form()],
) -> RedirectResponse:
    form = await request.form()
    verdicts = {
        str(key).removeprefix("verdict."): (str(value), str(form.get(f"note.{key[8:]}", "")))
        for key, value in form.multi_items()
        if str(key).startswith("verdict.")
    }
    here = f"/invitations/{invitation_id}"
    try:
        await pages.assess_invitation(api, invitation_id, verdicts, assessed_by)
    except Refused as refused:
        return back_to(request, here, f"Not assessed: {refused.message}", error=True)
    return back_to(request, here, "Assessment recorded.")


@router.post("/{invitation_id}/decision")
async def decide(
    request: Request,
    invitation_id: str,
    person: PersonDep,
    api: ApiDep,
    outcome: Annotated[str, Form()],
    rationale: Annotated[str, Form()],
    decided_by: Annotated[str, Form()],
) -> RedirectResponse:
    here = f"/invitations/{invitation_id}"
    try:
        decided = await pages.decide_invitation(api, invitation_id, outcome, rationale, decided_by)
    except Refused as refused:
        return back_to(request, here, f"Not decided: {refused.message}", error=True)
    return back_to(request, here, f"Invitation {decided['status']}.")
