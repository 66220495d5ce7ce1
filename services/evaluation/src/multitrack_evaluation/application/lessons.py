"""Use cases on lessons learned; HTTP routes call these and nothing else."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from multitrack_evaluation.application.ports import EvaluationUoW, LessonFilter
from multitrack_evaluation.domain.lessons import Lesson, Response, Wording
from multitrack_shared.errors import found
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class RecordLesson:
    owner_org: str
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
    """A lesson with the responses the engagements gave it."""

    lesson: Lesson
    responses: list[Response]


async def record_lesson(cmd: RecordLesson, uow: EvaluationUoW, clock: Clock) -> LessonView:
    w = cmd.wording
    lesson = Lesson(
        id=str(uuid.uuid4()),
        owner_org=cmd.owner_org,
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
        return LessonView(lesson, await uow.responses.for_lesson(lesson.id))


async def revise_lesson(cmd: ReviseLesson, uow: EvaluationUoW, clock: Clock) -> LessonView:
    async with uow:
        lesson = await _get(uow, cmd.lesson_id)
        cmd.precondition.check(lesson.id, lesson.version)
        lesson.revise(cmd.wording, clock())
        await uow.lessons.save(lesson)
        assert lesson.revised_at is not None
        uow.publish(
            events.LessonRevisedV2(
                lesson_id=lesson.id,
                revision=lesson.revision,
                statement=lesson.statement,
                confidence=lesson.confidence,
                context=events.LessonContext(**asdict(lesson.context)),
                revised_at=lesson.revised_at,
            )
        )
        await uow.commit()
        return LessonView(lesson, await uow.responses.for_lesson(lesson.id))


async def retire_lesson(cmd: RetireLesson, uow: EvaluationUoW, clock: Clock) -> LessonView:
    async with uow:
        lesson = await _get(uow, cmd.lesson_id)
        cmd.precondition.check(lesson.id, lesson.version)
        lesson.retire(cmd.reason, clock())
        await uow.lessons.save(lesson)
        assert lesson.retired_at is not None
        uow.publish(events.LessonRetiredV2(lesson_id=lesson.id, retired_at=lesson.retired_at))
        await uow.commit()
        return LessonView(lesson, await uow.responses.for_lesson(lesson.id))


async def get_lesson(lesson_id: str, uow: EvaluationUoW) -> LessonView:
    async with uow:
        lesson = await _get(uow, lesson_id)
        return LessonView(lesson, await uow.responses.for_lesson(lesson_id))


async def search_lessons(where: LessonFilter, uow: EvaluationUoW) -> list[Lesson]:
    async with uow:
        return await uow.lessons.search(where)


async def _get(uow: EvaluationUoW, lesson_id: str) -> Lesson:
    lesson = await uow.lessons.get(lesson_id)
    return found(lesson, f"no lesson {lesson_id}", field="lesson_id")


def _recorded(lesson: Lesson) -> events.LessonRecordedV2:
    return events.LessonRecordedV2(
        lesson_id=lesson.id,
        ownership=Ownership(owner_org=lesson.owner_org, visibility=Visibility(lesson.visibility)),
        statement=lesson.statement,
        confidence=lesson.confidence,
        context=events.LessonContext(**asdict(lesson.context)),
        source_engagement_id=lesson.source_engagement_id,
        recorded_at=lesson.recorded_at,
    )
