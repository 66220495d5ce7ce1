"""The briefing at opening, the lessons inbox and responses."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import lessons as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.lessons import (
    LessonDeliveryPublic,
    ResponseCreate,
    deliveries_shown,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["coverage and lessons"], responses=ERROR_RESPONSES)


@router.get(
    "/{engagement_id}/briefing",
    summary="The briefing at opening: lessons already recorded when the engagement opened",
)
async def read_briefing(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[LessonDeliveryPublic]:
    return deliveries_shown(await handlers.briefing(engagement_id, caller, uow))


@router.get("/{engagement_id}/lessons", summary="The lessons inbox, ranked by score")
async def read_inbox(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[LessonDeliveryPublic]:
    return deliveries_shown(await handlers.lesson_inbox(engagement_id, caller, uow))


@router.post(
    "/{engagement_id}/lessons/{lesson_id}/response",
    status_code=status.HTTP_201_CREATED,
    summary="Respond to a lesson in the inbox: applied, adapted or rejected, and why "
    "(the engagement's coordinators)",
)
async def respond(
    engagement_id: RecordId,
    lesson_id: RecordId,
    body: ResponseCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> LessonDeliveryPublic:
    cmd = handlers.RespondToLesson(
        engagement_id=engagement_id, lesson_id=lesson_id, response=body.response, why=body.why
    )
    item = await handlers.respond_to_lesson(cmd, caller, uow, clock)
    return LessonDeliveryPublic.of(item, may_see_personal=True)  # the engagement's coordinator
