"""HTTP routes: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from multitrack_evaluation.application import handlers
from multitrack_evaluation.application.ports import LessonFilter
from multitrack_evaluation.domain.model import LessonContext
from multitrack_evaluation.entrypoints.api.deps import ClockDep, UowDep
from multitrack_evaluation.entrypoints.api.schemas import LessonCreate, LessonPublic
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import CountryCode

router = APIRouter(prefix="/lessons", tags=["lessons"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a lesson learned")
async def record(body: LessonCreate, uow: UowDep, clock: ClockDep) -> LessonPublic:
    cmd = handlers.RecordLesson(
        owner_org=body.owner_org,
        visibility=body.visibility.value,
        statement=body.statement,
        evidence=body.evidence,
        confidence=body.confidence,
        context=LessonContext(**body.context.model_dump()),
    )
    return LessonPublic.of(await handlers.record_lesson(cmd, uow, clock))


@router.get("", summary="Search lessons learned")
async def search(
    uow: UowDep,
    country: Annotated[
        CountryCode | None, Query(description="Lessons whose context names this country.")
    ] = None,
    track: Annotated[
        int | None, Query(ge=1, le=9, description="Lessons whose context names this track.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[LessonPublic]:
    where = LessonFilter(country=country, track=track, limit=limit, offset=offset)
    return [LessonPublic.of(lesson) for lesson in await handlers.search_lessons(where, uow)]


@router.get("/{lesson_id}", summary="Read one lesson learned")
async def read(lesson_id: str, uow: UowDep) -> LessonPublic:
    return LessonPublic.of(await handlers.get_lesson(lesson_id, uow))
