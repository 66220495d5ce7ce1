"""The lessons read model, fed by calling the consumer's handlers as the runtime does: with the
current events, and with the ``.v1`` ones a replay still reads, whose evidence and retirement
reason are kept nowhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.consumers import handlers
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.conflicts import ConflictRegistered, ConflictRevised
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import (
    LessonContextV3,
    LessonRecorded,
    LessonRecordedV3,
    LessonRetired,
    LessonRetiredV2,
    LessonRevised,
    LessonRevisedV3,
    ReferenceChanged,
)
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.samples import invitation_body
from multitrack_shared.testing.superseded import as_superseded

LESSONS = metadata.tables["lessons"]
INVITATIONS = metadata.tables["invitations"]
T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)

subscription = Subscription[InvitationsUnitOfWork](handlers)


EVIDENCE = "Ana Ruiz's notes of two evaluations in Montes de María, 2019 and 2022."
RETIREMENT_REASON = "Contradicted by Ana Ruiz's 2024 evaluation."


def recording(lesson_id: str = "lesson-1", **changes: Any) -> LessonRecordedV3:
    fields: dict[str, Any] = {
        "lesson_id": lesson_id,
        "ownership": Ownership(owner_org="imtd"),
        "statement": "Hear returning families before land claimants' lawyers.",
        "confidence": Confidence.medium,
        "context": LessonContextV3(countries=["CO"], conflict_types=["land"]),
        "recorded_at": T0,
    }
    return LessonRecordedV3(**{**fields, **changes})


def revision(number: int, lesson_id: str = "lesson-1", **changes: Any) -> LessonRevisedV3:
    fields: dict[str, Any] = {
        "lesson_id": lesson_id,
        "revision": number,
        "statement": f"Revision {number}: hear the families first, and separately.",
        "confidence": Confidence.high,
        "context": LessonContextV3(countries=["CO"], conflict_types=["land"], phases=["latent"]),
        "revised_at": datetime(2025, 2, number, tzinfo=UTC),
    }
    return LessonRevisedV3(**{**fields, **changes})


def retirement(lesson_id: str = "lesson-1") -> LessonRetiredV2:
    return LessonRetiredV2(lesson_id=lesson_id, retired_at=T0)


def as_v1(event: IntegrationEvent) -> IntegrationEvent:
    """The same event as its ``.v1`` carried it, with the text that no longer travels."""
    if isinstance(event, LessonRecordedV3):
        return as_superseded(event, LessonRecorded, evidence=EVIDENCE)
    if isinstance(event, LessonRevisedV3):
        return as_superseded(event, LessonRevised, evidence=EVIDENCE)
    return as_superseded(event, LessonRetired, reason=RETIREMENT_REASON)


async def apply(app: FastAPI, *events: IntegrationEvent) -> None:
    """As the consumer runtime does: one unit of work per event, committed after the handler."""
    await apply_events(app, subscription, events)


async def stored(app: FastAPI) -> dict[str, Any]:
    async with app.state.runtime.engine.connect() as connection:
        rows = (await connection.execute(select(LESSONS).order_by(LESSONS.c.lesson_id))).all()
    return {row.lesson_id: row._asdict() for row in rows}


async def count(app: FastAPI, table: Any) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


def test_the_service_consumes_the_lesson_events_in_both_versions_reference_data_and_conflicts() -> (
    None
):
    assert set(subscription.handlers) == {
        LessonRecordedV3,
        LessonRevisedV3,
        LessonRetiredV2,
        ReferenceChanged,
        ConflictRegistered,
        ConflictRevised,
    }
    for v1, v2 in ((LessonRecorded, LessonRecordedV3), (LessonRevised, LessonRevisedV3)):
        assert subscription.handler_for(v1.event_type) is subscription.handlers[v2]
    assert (
        subscription.handler_for(LessonRetired.event_type)
        is (subscription.handlers[LessonRetiredV2])
    )


async def test_a_recorded_lesson_is_stored_active_at_revision_one_with_its_context(
    app: FastAPI,
) -> None:
    await apply(app, recording())

    lesson = (await stored(app))["lesson-1"]
    assert lesson["revision"] == 1
    assert lesson["active"] is True
    assert lesson["statement"] == "Hear returning families before land claimants' lawyers."
    assert lesson["confidence"] == "medium"
    assert lesson["context"]["countries"] == ["CO"]
    assert lesson["context"]["conflict_types"] == ["land"]
    assert lesson["owner_org"] == "imtd"
    assert lesson["visibility"] == "consortium"


async def test_a_revision_replaces_the_wording_confidence_and_context(
    app: FastAPI,
) -> None:
    await apply(app, recording(), revision(2))

    lesson = (await stored(app))["lesson-1"]
    assert lesson["revision"] == 2
    assert lesson["active"] is True
    assert lesson["statement"] == "Revision 2: hear the families first, and separately."
    assert lesson["confidence"] == "high"
    assert lesson["context"]["phases"] == ["latent"]


async def test_a_revision_older_than_the_stored_one_is_ignored(app: FastAPI) -> None:
    await apply(app, recording(), revision(3))
    before = await stored(app)

    await apply(app, revision(2), revision(3, statement="A repeat of revision 3, reworded."))

    assert await stored(app) == before
    assert before["lesson-1"]["revision"] == 3


async def test_a_recording_arriving_after_a_revision_keeps_the_revision(app: FastAPI) -> None:
    await apply(app, revision(2), recording())

    lesson = (await stored(app))["lesson-1"]
    assert lesson["revision"] == 2
    assert lesson["statement"].startswith("Revision 2")
    assert lesson["owner_org"] == "imtd"


async def test_a_retired_lesson_is_kept_inactive_and_a_later_revision_does_not_revive_it(
    app: FastAPI,
) -> None:
    await apply(app, recording(), retirement(), revision(2))

    lesson = (await stored(app))["lesson-1"]
    assert lesson["active"] is False
    assert lesson["revision"] == 2


async def test_a_retirement_seen_before_its_recording_leaves_the_lesson_inactive(
    app: FastAPI,
) -> None:
    await apply(app, retirement(), recording())

    lesson = (await stored(app))["lesson-1"]
    assert lesson["active"] is False
    assert lesson["revision"] == 1


async def test_applying_lesson_events_publishes_nothing_and_touches_no_invitation(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.post("/invitations", json=invitation_body())
    invitations_before = await count(app, INVITATIONS)
    outbox_before = await count(app, messaging.outbox)

    await apply(app, recording(), revision(2), retirement(), recording("lesson-2"))

    assert await count(app, messaging.outbox) == outbox_before == 1
    assert await count(app, INVITATIONS) == invitations_before == 1


async def test_rebuilding_the_read_model_and_replaying_gives_the_same_lessons(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    history: list[IntegrationEvent] = [
        recording(),
        recording("lesson-2", context=LessonContextV3(countries=["KE"])),
        revision(2),
        retirement("lesson-2"),
        revision(3),
        revision(2),
    ]
    await client.post("/invitations", json=invitation_body())
    await apply(app, *history)
    before = await stored(app)
    invitations = await count(app, INVITATIONS)
    outbox = await count(app, messaging.outbox)

    await app.state.runtime.rebuild_read_models()
    assert await stored(app) == {}
    await apply(app, *history)

    assert await stored(app) == before
    assert await count(app, INVITATIONS) == invitations
    assert await count(app, messaging.outbox) == outbox


async def test_the_v1_events_a_replay_reads_give_the_same_lessons_and_keep_none_of_their_text(
    app: FastAPI,
) -> None:
    history = [recording(), revision(2), recording("lesson-2"), retirement("lesson-2")]
    await apply(app, *history)
    current = await stored(app)
    await app.state.runtime.rebuild_read_models()

    await apply(app, *map(as_v1, history))

    assert await stored(app) == current
    assert EVIDENCE not in repr(current)
    assert RETIREMENT_REASON not in repr(current)
