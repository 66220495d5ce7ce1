"""HTTP routes on lessons learned: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_evaluation.application import lessons as handlers
from multitrack_evaluation.application.ports import LessonFilter
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.lessons import (
    LessonCreate,
    LessonDetail,
    LessonPublic,
    LessonRevision,
    RetirementCreate,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset, Track
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import CountryCode, RecordId

router = APIRouter(prefix="/lessons", tags=["lessons"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Record a lesson learned",
    responses=tagged(status.HTTP_201_CREATED),
)
async def record(
    body: LessonCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> LessonDetail:
    cmd = handlers.RecordLesson(
        visibility=body.visibility.value,
        wording=body.wording(),
        source_engagement_id=body.source_engagement_id,
    )
    return _tagged(response, await handlers.record_lesson(cmd, caller, uow, clock), caller)


@router.get("", summary="Search lessons learned")
async def search(
    caller: CallerDep,
    uow: UowDep,
    country: Annotated[
        CountryCode | None, Query(description="Lessons whose context names this country.")
    ] = None,
    track: Annotated[
        Track | None, Query(description="Lessons whose context names this track.")
    ] = None,
    active: Annotated[
        bool | None,
        Query(description="true: only lessons in force; false: only retired; absent: all."),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[LessonPublic]:
    where = LessonFilter(country=country, track=track, active=active, limit=limit, offset=offset)
    found = await handlers.search_lessons(where, caller, uow)
    return [LessonPublic.of(lesson, caller) for lesson in found]


@router.get(
    "/{lesson_id}",
    summary="Read one lesson learned, with the responses it received",
    responses=TAGGED,
)
async def read(
    lesson_id: RecordId, caller: CallerDep, uow: UowDep, response: Response
) -> LessonDetail:
    return _tagged(response, await handlers.get_lesson(lesson_id, caller, uow), caller)


@router.put("/{lesson_id}", summary="Revise a lesson learned (not once retired)", responses=TAGGED)
async def revise(
    lesson_id: RecordId,
    body: LessonRevision,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> LessonDetail:
    cmd = handlers.ReviseLesson(lesson_id=lesson_id, wording=body.wording(), precondition=if_match)
    return _tagged(response, await handlers.revise_lesson(cmd, caller, uow, clock), caller)


@router.post(
    "/{lesson_id}/retirement",
    summary="Retire a lesson that no longer holds",
    responses=TAGGED,
)
async def retire(
    lesson_id: RecordId,
    body: RetirementCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> LessonDetail:
    cmd = handlers.RetireLesson(lesson_id=lesson_id, reason=body.reason, precondition=if_match)
    return _tagged(response, await handlers.retire_lesson(cmd, caller, uow, clock), caller)


def _tagged(response: Response, view: handlers.LessonView, caller: Principal) -> LessonDetail:
    tag(response, view.lesson.id, view.lesson.version)
    return LessonDetail.of_view(view, caller)
