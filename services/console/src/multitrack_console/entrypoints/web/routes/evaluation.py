"""Evaluations, recording one, and the lessons library."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from multitrack_console.application import evaluation as pages
from multitrack_console.application.forms import FormState
from multitrack_console.application.ports import PlatformApi
from multitrack_console.entrypoints.web.deps import ApiDep, Person, PersonDep, require_csrf
from multitrack_console.entrypoints.web.pages import Submission, not_found, render, submit

router = APIRouter(dependencies=[Depends(require_csrf)])
FORM = "evaluation"


@router.get("/evaluations")
async def evaluation_list(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    evaluations = await pages.evaluation_list(api)
    return render(request, "evaluations.html", person, evaluations=evaluations)


@router.get("/evaluations/new")
async def new_evaluation(
    request: Request, person: PersonDep, api: ApiDep, engagement_id: str = ""
) -> HTMLResponse:
    return await evaluation_form_page(request, person, api, FormState.blank(FORM), engagement_id)


@router.post("/evaluations")
async def record_evaluation(request: Request, person: PersonDep, api: ApiDep) -> Response:
    evaluation = Submission(
        FORM,
        pages.evaluation_body,
        partial(pages.record_evaluation, api),
        lambda recorded, _: (f"/evaluations/{recorded['id']}", "Evaluation recorded."),
    )

    async def again(form: FormState, status: int) -> HTMLResponse:
        return await evaluation_form_page(request, person, api, form, status_code=status)

    return await submit(request, evaluation, again)


async def evaluation_form_page(
    request: Request,
    person: Person,
    api: PlatformApi,
    form: FormState,
    engagement_id: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    offered = await pages.evaluation_form(api)
    return render(
        request,
        "evaluation_form.html",
        person,
        status_code=status_code,
        offered=offered,
        f=form,
        engagement_id=engagement_id,
        criteria=pages.DAC_CRITERIA,
        scores=[(s, str(s)) for s in pages.SCORES],
        ratings=pages.RATINGS,
        rpp=pages.RPP_CRITERIA,
    )


@router.get("/evaluations/{evaluation_id}")
async def evaluation(
    request: Request, evaluation_id: str, person: PersonDep, api: ApiDep
) -> HTMLResponse:
    view = await pages.evaluation_view(api, evaluation_id)
    if view is None:
        return not_found(request, person, "evaluation")
    return render(request, "evaluation.html", person, view=view)


@router.get("/lessons")
async def library(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    entries = await pages.lesson_library(api)
    return render(request, "lessons.html", person, entries=entries)
