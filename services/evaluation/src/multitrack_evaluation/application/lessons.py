"""Use cases on lessons learned; HTTP routes call these and nothing else.

A lesson belongs to the organization of the evaluator who recorded it; only that
organization's evaluators revise or retire it, and an owner-only lesson is read by that
organization alone. The responses it received are shown as their engagements allow.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace

from multitrack_evaluation.application.access import WRITER, require_reader
from multitrack_evaluation.application.ports import EvaluationUoW, LessonFilter
from multitrack_evaluation.domain.lessons import Lesson, Response, Wording
from multitrack_shared.auth.policy import (
    changeable,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class RecordLesson:
    visibility: str
    wording: Wording
    source_engagement_id: str | None = None


@dataclass(frozen=True)
class ReviseLesson:
    lesson_id: str
    wording: Wording
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class RetireLesson:
    lesson_id: str
    reason: str
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class LessonView:
    """A lesson with the responses the engagements the caller may see gave it."""

    lesson: Lesson
    responses: list[Response]


async def record_lesson(
    cmd: RecordLesson, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> LessonView:
    require_role(caller, WRITER)
    w = cmd.wording
    lesson = Lesson(
        id=str(uuid.uuid4()),
        owner_org=owner_of_new_record(caller),
        visibility=cmd.visibility,
        statement=w.statement,
        evidence=w.evidence,
        confidence=w.confidence,
        context=w.context,
        recorded_at=clock(),
        source_engagement_id=cmd.source_engagement_id,
    )
    async with uow:
        await uow.lessons.add(lesson)
        uow.publish(_recorded(lesson))
        await uow.commit()
        return await _view(uow, lesson, caller)


async def revise_lesson(
    cmd: ReviseLesson, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> LessonView:
    async with uow:
        lesson = await _changeable(uow, cmd.lesson_id, caller)
        cmd.precondition.check(lesson.id, lesson.version)
        lesson.revise(cmd.wording, clock())
        await uow.lessons.save(lesson)
        assert lesson.revised_at is not None
        uow.publish(
            events.LessonRevisedV3(
                lesson_id=lesson.id,
                revision=lesson.revision,
                statement=lesson.statement,
                confidence=lesson.confidence,
                context=events.LessonContextV3(**asdict(lesson.context)),
                revised_at=lesson.revised_at,
            )
        )
        await uow.commit()
        return await _view(uow, lesson, caller)


async def retire_lesson(
    cmd: RetireLesson, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> LessonView:
    async with uow:
        lesson = await _changeable(uow, cmd.lesson_id, caller)
        cmd.precondition.check(lesson.id, lesson.version)
        lesson.retire(cmd.reason, clock())
        await uow.lessons.save(lesson)
        assert lesson.retired_at is not None
        uow.publish(events.LessonRetiredV2(lesson_id=lesson.id, retired_at=lesson.retired_at))
        await uow.commit()
        return await _view(uow, lesson, caller)


async def get_lesson(lesson_id: str, caller: Principal, uow: EvaluationUoW) -> LessonView:
    require_reader(caller)
    async with uow:
        lesson = readable(await uow.lessons.get(lesson_id), caller, _missing(lesson_id), field=_ID)
        return await _view(uow, lesson, caller)


async def search_lessons(
    where: LessonFilter, caller: Principal, uow: EvaluationUoW
) -> list[Lesson]:
    require_reader(caller)
    async with uow:
        return await uow.lessons.search(replace(where, scope=scope_of(caller)))


_ID = "lesson_id"


def _missing(lesson_id: str) -> str:
    """The same for a lesson that does not exist and for one the caller may not see."""
    return f"no lesson {lesson_id}"


async def _changeable(uow: EvaluationUoW, lesson_id: str, caller: Principal) -> Lesson:
    lesson = await uow.lessons.get(lesson_id)
    return changeable(lesson, caller, WRITER, message=_missing(lesson_id), field=_ID)


async def _view(uow: EvaluationUoW, lesson: Lesson, caller: Principal) -> LessonView:
    return LessonView(lesson, await uow.responses.for_lesson(lesson.id, scope_of(caller)))


def _recorded(lesson: Lesson) -> events.LessonRecordedV3:
    return events.LessonRecordedV3(
        lesson_id=lesson.id,
        ownership=Ownership(owner_org=lesson.owner_org, visibility=Visibility(lesson.visibility)),
        statement=lesson.statement,
        confidence=lesson.confidence,
        context=events.LessonContextV3(**asdict(lesson.context)),
        source_engagement_id=lesson.source_engagement_id,
        recorded_at=lesson.recorded_at,
    )
