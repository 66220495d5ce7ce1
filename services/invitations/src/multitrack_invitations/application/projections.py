"""The lessons and assessment criteria read models, kept from evaluation's events.

The ``on_*`` handlers run inside the consumer runtime's unit of work, which commits them with
the inbox row. They touch the lessons table only, publish nothing and use the events' own
timestamps, so a replay from offset zero rebuilds the same table. Each takes the current
version of its event: the runtime reads the ``.v1`` records still on the topic through the
upcasters (``events.upcasting``), which leave out a lesson's evidence and the reason it was
retired (they may name people).
"""

from __future__ import annotations

from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_invitations.domain import lessons
from multitrack_invitations.domain.conflicts import KnownConflict
from multitrack_invitations.domain.criteria import AssessmentCriterion, latest
from multitrack_invitations.domain.lessons import Wording
from multitrack_shared.events.conflicts import ConflictRegistered, ConflictRevised
from multitrack_shared.events.evaluation import (
    LessonRecordedV3,
    LessonRetiredV2,
    LessonRevisedV3,
    ReferenceChanged,
)
from multitrack_shared.reference import CRITERION_KIND


async def on_lesson_recorded(event: LessonRecordedV3, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.recorded(
            known,
            lesson_id=event.lesson_id,
            wording=_wording(event),
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            recorded_at=event.recorded_at,
        )
    )


async def on_lesson_revised(event: LessonRevisedV3, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.revised(
            known,
            lesson_id=event.lesson_id,
            revision=event.revision,
            wording=_wording(event),
            revised_at=event.revised_at,
        )
    )


async def on_lesson_retired(event: LessonRetiredV2, uow: InvitationsUoW) -> None:
    known = await uow.lessons.get(event.lesson_id)
    await uow.lessons.put(
        lessons.retired(known, lesson_id=event.lesson_id, retired_at=event.retired_at)
    )


def _wording(
    event: LessonRecordedV3 | LessonRevisedV3,
) -> Wording:
    return Wording(
        statement=event.statement,
        confidence=event.confidence,
        context=event.context.model_dump(mode="json"),
    )


async def on_reference_changed(event: ReferenceChanged, uow: InvitationsUoW) -> None:
    """Keep the consortium's latest version of each assessment criterion; other reference
    data is not this service's concern."""
    if event.kind != CRITERION_KIND:
        return
    changed = AssessmentCriterion(
        code=event.code,
        label=event.label,
        description=event.description,
        procedure=event.procedure,
        essential=event.essential,
        active=event.active,
        changed_at=event.changed_at,
    )
    await uow.criteria.put(latest(await uow.criteria.get(event.code), changed))


async def on_conflict_changed(
    event: ConflictRegistered | ConflictRevised, uow: InvitationsUoW
) -> None:
    """Keep the shared conflict as it now is: an invitation may name it."""
    changed_at = event.registered_at if isinstance(event, ConflictRegistered) else event.revised_at
    await uow.conflicts.put(
        KnownConflict(
            conflict_id=event.conflict_id,
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            name=event.name,
            country=event.country,
            changed_at=changed_at,
        )
    )
