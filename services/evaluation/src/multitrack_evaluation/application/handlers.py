"""Use cases of the evaluation service; HTTP routes call these and nothing else."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from multitrack_evaluation.application.ports import Clock, EvaluationUoW, LessonFilter
from multitrack_evaluation.domain.model import Confidence, Lesson, LessonContext
from multitrack_shared.errors import NotFound
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility


@dataclass(frozen=True)
class RecordLesson:
    owner_org: str
    visibility: str
    statement: str
    evidence: str
    confidence: Confidence
    context: LessonContext


async def record_lesson(cmd: RecordLesson, uow: EvaluationUoW, clock: Clock) -> Lesson:
    lesson = Lesson(
        id=str(uuid.uuid4()),
        owner_org=cmd.owner_org,
        visibility=cmd.visibility,
        statement=cmd.statement,
        evidence=cmd.evidence,
        confidence=cmd.confidence,
        context=cmd.context,
        recorded_at=clock(),
    )
    async with uow:
        await uow.lessons.add(lesson)
        uow.publish(_recorded(lesson))
        await uow.commit()
    return lesson


async def get_lesson(lesson_id: str, uow: EvaluationUoW) -> Lesson:
    async with uow:
        lesson = await uow.lessons.get(lesson_id)
    if lesson is None:
        raise NotFound(f"no lesson {lesson_id}", field="lesson_id")
    return lesson


async def search_lessons(where: LessonFilter, uow: EvaluationUoW) -> list[Lesson]:
    async with uow:
        return await uow.lessons.search(where)


def _recorded(lesson: Lesson) -> events.LessonRecorded:
    return events.LessonRecorded(
        lesson_id=lesson.id,
        ownership=Ownership(owner_org=lesson.owner_org, visibility=Visibility(lesson.visibility)),
        statement=lesson.statement,
        evidence=lesson.evidence,
        confidence=lesson.confidence.value,
        context=events.LessonContext(**asdict(lesson.context)),
        recorded_at=lesson.recorded_at,
    )
