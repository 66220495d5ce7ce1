"""Evaluations and the lessons library."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from multitrack_console.application import evaluation as pages
from multitrack_console.entrypoints.web.deps import ApiDep, PersonDep
from multitrack_console.entrypoints.web.pages import not_found, render

router = APIRouter()


@router.get("/evaluations")
async def evaluation_list(request: Request, person: PersonDep, api: ApiDep) -> HTMLResponse:
    evaluations = await pages.evaluation_list(api)
    return render(request, "evaluations.html", person, evaluations=evaluations)


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
