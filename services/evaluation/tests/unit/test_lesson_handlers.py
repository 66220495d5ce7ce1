"""The lesson use cases on in-memory fakes: recording, revising and retiring each publish what
the engagements and invitations services apply; a retired or unknown lesson is refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from multitrack_evaluation.application.lessons import (
    LessonView,
    RecordLesson,
    RetireLesson,
    ReviseLesson,
    get_lesson,
    record_lesson,
    retire_lesson,
    revise_lesson,
    search_lessons,
)
from multitrack_evaluation.application.ports import LessonFilter
from multitrack_evaluation.domain.lessons import Lesson, LessonContext, Response, Wording
from multitrack_shared.errors import Conflict, NotFound
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.vocabulary import Confidence, LessonResponse, RppQuadrant

from ..fakes import FakeEvaluationUnitOfWork
from .samples import NOW, clock

pytestmark = pytest.mark.unit

RECORDED_AT = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
CONTEXT = LessonContext(
    countries=["CO"], tracks=[4], rpp_quadrants=[RppQuadrant.more_people_individual]
)
WORDING = Wording("Listen first", "Two years of dialogues", Confidence.high, CONTEXT)
REVISED = Wording("Listen first, apart", "Three years", Confidence.medium, LessonContext())


def a_lesson(lesson_id: str = "l-1", **changes: Any) -> Lesson:
    lesson = Lesson(
        id=lesson_id,
        owner_org="imtd",
        visibility="consortium",
        statement=WORDING.statement,
        evidence=WORDING.evidence,
        confidence=WORDING.confidence,
        context=CONTEXT,
        recorded_at=RECORDED_AT,
    )
    return replace(lesson, **changes)


async def holding(*lessons: Lesson) -> FakeEvaluationUnitOfWork:
    uow = FakeEvaluationUnitOfWork()
    for lesson in lessons:
        await uow.lessons.add(lesson)
    return uow


async def test_recording_keeps_the_lesson_and_publishes_it_with_its_context_not_its_evidence() -> (
    None
):
    uow = FakeEvaluationUnitOfWork()

    view = await record_lesson(RecordLesson("imtd", "owner", WORDING, "eng-1"), uow, clock)

    lesson = view.lesson
    assert await uow.lessons.get(lesson.id) == lesson
    assert (lesson.revision, lesson.recorded_at, view.responses) == (1, NOW, [])
    assert lesson.evidence == "Two years of dialogues"  # kept here, the lesson's owner
    assert uow.published == [
        events.LessonRecordedV2(
            lesson_id=lesson.id,
            ownership=Ownership(owner_org="imtd", visibility=Visibility.owner),
            statement="Listen first",
            confidence=Confidence.high,
            context=events.LessonContext(
                countries=["CO"], tracks=[4], rpp_quadrants=[RppQuadrant.more_people_individual]
            ),
            source_engagement_id="eng-1",
            recorded_at=NOW,
        )
    ]


async def test_revising_numbers_the_revision_and_publishes_the_new_wording() -> None:
    uow = await holding(a_lesson())

    view = await revise_lesson(ReviseLesson("l-1", REVISED), uow, clock)

    assert (view.lesson.revision, view.lesson.statement) == (2, "Listen first, apart")
    assert await uow.lessons.get("l-1") == view.lesson
    assert view.lesson.evidence == "Three years"
    assert uow.published == [
        events.LessonRevisedV2(
            lesson_id="l-1",
            revision=2,
            statement="Listen first, apart",
            confidence=Confidence.medium,
            context=events.LessonContext(),
            revised_at=NOW,
        )
    ]


async def test_retiring_keeps_the_reason_and_publishes_the_retirement_without_it() -> None:
    uow = await holding(a_lesson())

    view = await retire_lesson(RetireLesson("l-1", "No longer holds"), uow, clock)

    assert not view.lesson.active
    assert view.lesson.retired_reason == "No longer holds"
    assert await uow.lessons.get("l-1") == view.lesson
    assert uow.published == [events.LessonRetiredV2(lesson_id="l-1", retired_at=NOW)]


Act = Callable[[FakeEvaluationUnitOfWork], Awaitable[LessonView]]


async def revising(uow: FakeEvaluationUnitOfWork) -> LessonView:
    return await revise_lesson(ReviseLesson("l-1", REVISED), uow, clock)


async def retiring(uow: FakeEvaluationUnitOfWork) -> LessonView:
    return await retire_lesson(RetireLesson("l-1", "again"), uow, clock)


async def reading(uow: FakeEvaluationUnitOfWork) -> LessonView:
    return await get_lesson("l-1", uow)


@pytest.mark.parametrize("act", [revising, retiring], ids=["revise", "retire"])
async def test_a_retired_lesson_changes_no_more_and_nothing_is_published(act: Act) -> None:
    retired = a_lesson(retired_at=RECORDED_AT, retired_reason="No longer holds")
    uow = await holding(retired)

    with pytest.raises(Conflict) as refused:
        await act(uow)

    assert refused.value.code == "lesson_retired"
    assert uow.nothing_committed
    assert await uow.lessons.get("l-1") == retired


@pytest.mark.parametrize("act", [revising, retiring, reading], ids=["revise", "retire", "get"])
async def test_an_unknown_lesson_is_not_found(act: Act) -> None:
    uow = FakeEvaluationUnitOfWork()

    with pytest.raises(NotFound) as refused:
        await act(uow)

    assert (refused.value.field, refused.value.message) == ("lesson_id", "no lesson l-1")
    assert uow.nothing_committed


async def test_a_lesson_is_read_with_the_responses_the_engagements_gave_it() -> None:
    uow = await holding(a_lesson())
    answer = Response("eng-1", LessonResponse.adapted, NOW)
    await uow.responses.record("l-1", answer)

    view = await get_lesson("l-1", uow)

    assert view.responses == [answer]


async def test_the_search_filters_by_country_track_and_activity_newest_first() -> None:
    uow = await holding(
        a_lesson("old"),
        a_lesson("new", recorded_at=RECORDED_AT + timedelta(days=1)),
        a_lesson("kenya", context=LessonContext(countries=["KE"], tracks=[4])),
        a_lesson("retired", retired_at=RECORDED_AT, retired_reason="gone"),
    )

    in_colombia = await search_lessons(LessonFilter(country="CO", track=4, active=True), uow)
    retired = await search_lessons(LessonFilter(active=False), uow)

    assert [lesson.id for lesson in in_colombia] == ["new", "old"]
    assert [lesson.id for lesson in retired] == ["retired"]
