"""The invitations pipeline, one invitation, its assessment and its decision."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from multitrack_console.application import invitations as pages
from multitrack_console.application.forms import FormState
from multitrack_console.application.ports import PlatformApi
from multitrack_console.entrypoints.web.deps import ApiDep, Person, PersonDep, require_csrf
from multitrack_console.entrypoints.web.pages import Submission, not_found, render, submit

router = APIRouter(prefix="/invitations", dependencies=[Depends(require_csrf)])


@router.get("")
async def pipeline(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    stages = await pages.invitation_pipeline(api)
    return render(request, "invitations.html", person, stages=stages)


@router.get("/{invitation_id}")
async def invitation(
    request: Request, invitation_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    return await invitation_page(request, invitation_id, person, api)


async def invitation_page(
    request: Request,
    invitation_id: str,
    person: Person,
    api: PlatformApi,
    form: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = await pages.invitation_view(api, invitation_id)
    if view is None:
        return not_found(request, person, "invitation")
    return render(
        request,
        "invitation.html",
        person,
        status_code=status_code,
        view=view,
        verdict_options=[(v, v) for v in pages.VERDICTS],
        form=form,
    )


@router.post("/{invitation_id}/assessment")
async def assess(request: Request, invitation_id: str, person: PersonDep, api: ApiDep) -> Response:
    here = f"/invitations/{invitation_id}"
    assessment = Submission(
        "assessment",
        pages.assessment_body,
        partial(pages.assess_invitation, api, invitation_id),
        lambda _, __: (here, "Assessment recorded."),
    )
    return await submit(
        request, assessment, partial(invitation_page, request, invitation_id, person, api)
    )


@router.post("/{invitation_id}/decision")
async def decide(request: Request, invitation_id: str, person: PersonDep, api: ApiDep) -> Response:
    here = f"/invitations/{invitation_id}"
    decision = Submission(
        "decision",
        pages.decision_body,
        partial(pages.decide_invitation, api, invitation_id),
        lambda decided, _: (here, f"Invitation {decided['status']}."),
    )
    return await submit(
        request, decision, partial(invitation_page, request, invitation_id, person, api)
    )
