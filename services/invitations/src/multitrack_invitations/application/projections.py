"""The lessons read model, kept from evaluation's events.

The ``on_*`` handlers run inside the consumer runtime's unit of work, which commits them with
the inbox row. They touch the lessons table only, publish nothing and use the events' own
timestamps, so a replay from offset zero rebuilds the same table.
"""

from __future__ import annotations

from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_invitations.domain import lessons
from multitrack_invitations.domain.lessons import Wording
from multitrack_shared.events.evaluation import (
    LessonContext,
    LessonRecorded,
    LessonRetired,
    LessonRevised,
)


async def on_lesson_recorded(event: LessonRecorded, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.recorded(
            known,
            lesson_id=event.lesson_id,
            wording=_wording(event.statement, event.evidence, event.confidence, event.context),
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            recorded_at=event.recorded_at,
        )
    )


async def on_lesson_revised(event: LessonRevised, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.revised(
            known,
            lesson_id=event.lesson_id,
            revision=event.revision,
            wording=_wording(event.statement, event.evidence, event.confidence, event.context),
            revised_at=event.revised_at,
        )
    )


async def on_lesson_retired(event: LessonRetired, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.retired(
            known, lesson_id=event.lesson_id, reason=event.reason, retired_at=event.retired_at
        )
    )


def _wording(statement: str, evidence: str, confidence: str, context: LessonContext) -> Wording:
    return Wording(
        statement=statement,
        evidence=evidence,
        confidence=confidence,
        context=context.model_dump(mode="json"),
    )
