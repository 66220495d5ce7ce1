"""An engagement's page, and what its coordinators record from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from multitrack_console.application import engagements as pages
from multitrack_console.application.ports import Refused
from multitrack_console.domain.compass import KINDS
from multitrack_console.entrypoints.web.deps import ApiDep, PersonDep, console_state, require_csrf
from multitrack_console.entrypoints.web.pages import back_to, not_found, render

router = APIRouter(prefix="/engagements", dependencies=[Depends(require_csrf)])


@router.get("")
async def engagement_list(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    engagements = await pages.engagement_list(api)
    return render(request, "engagements.html", person, engagements=engagements)


@router.get("/{engagement_id}")
async def engagement(
    request: Request, engagement_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    view = await pages.engagement_view(api, engagement_id, console_state(request).today())
    if view is None:
        return not_found(request, person, "engagement")
    return render(
        request,
        "engagement.html",
        person,
        view=view,
        kinds=KINDS,
        quadrants=pages.RPP_QUADRANTS,
        responses=pages.RESPONSES,
        today=console_state(request).today().isoformat(),
    )


@router.post("/{engagement_id}/activities")
async def record_activity(
    request: Request,
    engagement_id: str,
    person: PersonDep,
    api: ApiDep,
    kind: Annotated[str, Form()],
    held_on: Annotated[str, Form()],
    place: Annotated[str, Form()],
    peacebuilding_kind: Annotated[str, Form()],
    rpp_quadrant: Annotated[str, Form()],
    do_no_harm_note: Annotated[str, Form()],
    tracks: Annotated[list[int] | None, Form()] = None,
) -> RedirectResponse:
    here = f"/engagements/{engagement_id}"
    activity = pages.NewActivity(
        kind, held_on, place, tracks or [], peacebuilding_kind, rpp_quadrant, do_no_harm_note
    )
    try:
        await pages.record_activity(api, engagement_id, activity)
    except Refused as refused:
        return back_to(request, f"{here}#activity", f"Not recorded: {refused}", error=True)
    return back_to(request, f"{here}#compass", "Activity recorded.")


@router.post("/{engagement_id}/lessons/{lesson_id}/response")
async def respond(
    request: Request,
    engagement_id: str,
    lesson_id: str,
    person: PersonDep,
    api: ApiDep,
    response: Annotated[str, Form()],
    why: Annotated[str, Form()],
) -> RedirectResponse:
    here = f"/engagements/{engagement_id}#lessons"
    try:
        await pages.respond_to_lesson(api, engagement_id, lesson_id, response, why)
    except Refused as refused:
        return back_to(request, here, f"Not recorded: {refused}", error=True)
    return back_to(request, here, f"Lesson {response}.")
