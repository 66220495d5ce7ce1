"""The lessons read model kept from evaluation's events, on in-memory fakes: each event is an
upsert dated by the event, publishes nothing, and applying it again changes nothing."""

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
    LessonContext,
    LessonRecorded,
    LessonRetired,
    LessonRevised,
)
from multitrack_shared.events.vocabulary import Confidence

from ..fakes import FakeInvitationsUnitOfWork

pytestmark = pytest.mark.unit

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
CONTEXT = LessonContext(countries=["CO"], conflict_types=["land"], tracks=[4])


def recording(**changes: Any) -> LessonRecorded:
    fields: dict[str, Any] = {
        "lesson_id": "lesson-1",
        "ownership": Ownership(owner_org="imtd", visibility=Visibility.owner),
        "statement": "Listen to every side first",
        "evidence": "Two years of dialogues",
        "confidence": Confidence.high,
        "context": CONTEXT,
        "recorded_at": T0,
    }
    return LessonRecorded(**{**fields, **changes})


def revision(number: int, statement: str) -> LessonRevised:
    return LessonRevised(
        lesson_id="lesson-1",
        revision=number,
        statement=statement,
        evidence="More dialogues",
        confidence=Confidence.medium,
        context=LessonContext(countries=["CO"]),
        revised_at=T0 + timedelta(days=number),
    )


RETIREMENT = LessonRetired(
    lesson_id="lesson-1", reason="No longer holds", retired_at=T0 + timedelta(days=30)
)


async def lesson_after(*events: LessonRecorded | LessonRevised | LessonRetired) -> Lesson | None:
    uow = FakeInvitationsUnitOfWork()
    for event in events:
        if isinstance(event, LessonRecorded):
            await uow.consume(on_lesson_recorded, event)
        elif isinstance(event, LessonRevised):
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
        wording=Wording(
            "Listen to every side first",
            "Two years of dialogues",
            "high",
            CONTEXT.model_dump(mode="json"),
        ),
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
    assert (lesson.retired_at, lesson.retirement_reason) == (
        RETIREMENT.retired_at,
        RETIREMENT.reason,
    )


async def test_a_retirement_seen_first_keeps_the_lesson_off_once_it_is_recorded() -> None:
    lesson = await lesson_after(RETIREMENT, recording())

    assert lesson is not None
    assert lesson.wording is not None
    assert not lesson.active


async def test_every_event_applied_twice_gives_the_same_lesson() -> None:
    events = (recording(), revision(2, "second"), RETIREMENT)

    assert await lesson_after(*events, *events) == await lesson_after(*events)
