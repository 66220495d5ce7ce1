"""An engagement's page, and what its coordinators record from it."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from multitrack_console.application import engagements as pages
from multitrack_console.application.forms import FormState
from multitrack_console.application.ports import PlatformApi, Refused
from multitrack_console.domain.compass import KINDS
from multitrack_console.entrypoints.web.deps import (
    ApiDep,
    Person,
    PersonDep,
    console_state,
    require_csrf,
)
from multitrack_console.entrypoints.web.pages import (
    Submission,
    back_to,
    not_found,
    render,
    submit,
)

router = APIRouter(prefix="/engagements", dependencies=[Depends(require_csrf)])


@router.get("")
async def engagement_list(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    engagements = await pages.engagement_list(api)
    return render(request, "engagements.html", person, engagements=engagements)


@router.get("/{engagement_id}")
async def engagement(
    request: Request, engagement_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    return await engagement_page(request, engagement_id, person, api)


async def engagement_page(
    request: Request,
    engagement_id: str,
    person: Person,
    api: PlatformApi,
    form: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page; after a refused form, with that form as it was filled in and its problems."""
    view = await pages.engagement_view(api, engagement_id, console_state(request).today())
    if view is None:
        return not_found(request, person, "engagement")
    return render(
        request,
        "engagement.html",
        person,
        status_code=status_code,
        view=view,
        kinds=KINDS,
        quadrants=pages.RPP_QUADRANTS,
        responses=pages.RESPONSES,
        roles=pages.ACTOR_ROLES,
        actor_rows=pages.actor_rows(view.analyses),
        form=form,
        today=console_state(request).today().isoformat(),
    )


@router.post("/{engagement_id}/listening")
async def record_heard(
    request: Request, engagement_id: str, person: PersonDep, api: ApiDep
) -> Response:
    here = f"/engagements/{engagement_id}"
    heard = Submission(
        "listening",
        pages.heard_body,
        partial(pages.record_heard, api, engagement_id),
        lambda _, sent: (f"{here}#heard", f"Heard: {sent['side']} recorded."),
    )
    return await submit(
        request, heard, partial(engagement_page, request, engagement_id, person, api)
    )


@router.post("/{engagement_id}/analyses")
async def record_analysis(
    request: Request, engagement_id: str, person: PersonDep, api: ApiDep
) -> Response:
    here = f"/engagements/{engagement_id}"
    analysis = Submission(
        "analysis",
        pages.analysis_body,
        partial(pages.record_analysis, api, engagement_id),
        lambda recorded, _: (
            f"{here}#analyses",
            f"Conflict analysis version {recorded['version']} recorded.",
        ),
    )
    again = partial(engagement_page, request, engagement_id, person, api)
    return await submit(request, analysis, again)


@router.post("/{engagement_id}/activities")
async def record_activity(
    request: Request, engagement_id: str, person: PersonDep, api: ApiDep
) -> Response:
    here = f"/engagements/{engagement_id}"
    activity = Submission(
        "activity",
        pages.activity_body,
        partial(pages.record_activity, api, engagement_id),
        lambda _, __: (f"{here}#compass", "Activity recorded."),
    )
    again = partial(engagement_page, request, engagement_id, person, api)
    return await submit(request, activity, again)


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
