"""The lessons read model kept from evaluation's events, on in-memory fakes: each event is an
upsert dated by the event, publishes nothing, and applying it again changes nothing. The ``.v1``
events still on the topic, read through the upcasters, give the same lesson as their ``.v2``:
their evidence and retirement reason are not kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from multitrack_invitations.application.projections import (
    on_lesson_recorded,
    on_lesson_retired,
    on_lesson_revised,
)
from multitrack_invitations.domain.lessons import Lesson, Wording
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.evaluation import (
    LessonContextV3,
    LessonRecorded,
    LessonRecordedV3,
    LessonRetired,
    LessonRetiredV2,
    LessonRevised,
    LessonRevisedV3,
)
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.superseded import as_replayed

from ..fakes import FakeInvitationsUnitOfWork

pytestmark = pytest.mark.unit

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
CONTEXT = LessonContextV3(countries=["CO"], conflict_types=["land"], tracks=[4])


EVIDENCE = "Ana Ruiz's notes of two years of dialogues"
RETIREMENT_REASON = "Ana Ruiz found it no longer holds"


def recording(**changes: Any) -> LessonRecordedV3:
    fields: dict[str, Any] = {
        "lesson_id": "lesson-1",
        "ownership": Ownership(owner_org="imtd", visibility=Visibility.owner),
        "statement": "Listen to every side first",
        "confidence": Confidence.high,
        "context": CONTEXT,
        "recorded_at": T0,
    }
    return LessonRecordedV3(**{**fields, **changes})


def revision(number: int, statement: str) -> LessonRevisedV3:
    return LessonRevisedV3(
        lesson_id="lesson-1",
        revision=number,
        statement=statement,
        confidence=Confidence.medium,
        context=LessonContextV3(countries=["CO"]),
        revised_at=T0 + timedelta(days=number),
    )


RETIREMENT = LessonRetiredV2(lesson_id="lesson-1", retired_at=T0 + timedelta(days=30))

Event = LessonRecordedV3 | LessonRevisedV3 | LessonRetiredV2


def as_v1(event: Event) -> Event:
    """The same event written as its ``.v1``, with the text that no longer travels, and read
    back as a replay reads it."""
    if isinstance(event, LessonRecordedV3):
        return as_replayed(event, LessonRecorded, evidence=EVIDENCE)
    if isinstance(event, LessonRevisedV3):
        return as_replayed(event, LessonRevised, evidence=EVIDENCE)
    return as_replayed(event, LessonRetired, reason=RETIREMENT_REASON)


async def lesson_after(*events: Event) -> Lesson | None:
    uow = FakeInvitationsUnitOfWork()
    for event in events:
        if isinstance(event, LessonRecordedV3):
            await uow.consume(on_lesson_recorded, event)
        elif isinstance(event, LessonRevisedV3):
            await uow.consume(on_lesson_revised, event)
        else:
            await uow.consume(on_lesson_retired, event)
    assert uow.published == [], "a projection publishes nothing"
    return await uow.lessons.get("lesson-1")


async def test_a_recorded_lesson_is_kept_active_with_its_wording_owner_and_date() -> None:
    lesson = await lesson_after(recording())

    assert lesson == Lesson(
        lesson_id="lesson-1",
        revision=1,
        wording=Wording("Listen to every side first", "high", CONTEXT.model_dump(mode="json")),
        owner_org="imtd",
        visibility="owner",
        recorded_at=T0,
    )
    assert lesson.active


async def test_a_later_revision_replaces_the_wording_and_an_earlier_one_is_ignored() -> None:
    lesson = await lesson_after(recording(), revision(3, "third"), revision(2, "second"))

    assert lesson is not None
    assert lesson.revision == 3
    assert lesson.wording is not None
    assert lesson.wording.statement == "third"
    assert lesson.revised_at == T0 + timedelta(days=3)


async def test_a_revision_seen_before_the_recording_keeps_its_wording() -> None:
    lesson = await lesson_after(revision(2, "second"), recording())

    assert lesson is not None
    assert (lesson.revision, lesson.recorded_at, lesson.owner_org) == (2, T0, "imtd")
    assert lesson.wording is not None
    assert lesson.wording.statement == "second"


async def test_a_retired_lesson_stays_off_whatever_comes_after() -> None:
    lesson = await lesson_after(recording(), RETIREMENT, revision(2, "second"))

    assert lesson is not None
    assert not lesson.active
    assert lesson.retired_at == RETIREMENT.retired_at


async def test_a_retirement_seen_first_keeps_the_lesson_off_once_it_is_recorded() -> None:
    lesson = await lesson_after(RETIREMENT, recording())

    assert lesson is not None
    assert lesson.wording is not None
    assert not lesson.active


async def test_every_event_applied_twice_gives_the_same_lesson() -> None:
    events = (recording(), revision(2, "second"), RETIREMENT)

    assert await lesson_after(*events, *events) == await lesson_after(*events)


async def test_the_v1_events_still_on_the_topic_give_the_same_lesson_without_their_free_text() -> (
    None
):
    events: tuple[LessonRecordedV3 | LessonRevisedV3 | LessonRetiredV2, ...] = (
        recording(),
        revision(2, "second"),
        RETIREMENT,
    )

    replayed = await lesson_after(*map(as_v1, events))

    assert replayed == await lesson_after(*events)
    assert EVIDENCE not in repr(replayed)
    assert RETIREMENT_REASON not in repr(replayed)
