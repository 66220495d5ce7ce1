"""The lessons an engagement meets, on in-memory fakes: the inbox ranked by the matching rule,
the briefing at opening, and the one response per lesson it publishes back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lessons import (
    RespondToLesson,
    briefing,
    lesson_inbox,
    respond_to_lesson,
)
from multitrack_engagements.domain.lessons import ResponseToLesson
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events.engagements import LessonRespondedV2
from multitrack_shared.events.vocabulary import LessonResponse

from ..conftest import ACCEPTED_AT, NOW
from ..fakes import FakeEngagementsUnitOfWork
from .samples import COORDINATOR, a_lesson, an_engagement, clock, holding

pytestmark = pytest.mark.unit

ADAPTED = RespondToLesson("eng-1", "same-place", LessonResponse.adapted, "Women heard apart")


async def with_an_inbox() -> FakeEngagementsUnitOfWork:
    """eng-1 reached by three lessons: one before it opened, two after, and one elsewhere."""
    uow = await holding(an_engagement())
    later = ACCEPTED_AT + timedelta(days=30)
    await uow.lessons.save(
        a_lesson("same-place", later, countries=["CO"], regions=["Caribbean region"])
    )
    await uow.lessons.save(a_lesson("same-country", ACCEPTED_AT, countries=["CO"]))
    await uow.lessons.save(a_lesson("same-type", later, countries=["CO"], conflict_types=["land"]))
    await uow.lessons.save(a_lesson("in-kenya", ACCEPTED_AT, countries=["KE"]))
    await refresh_engagement(uow, an_engagement())
    return uow


async def test_the_inbox_holds_the_lessons_that_reach_best_first_with_any_response() -> None:
    uow = await with_an_inbox()
    answer = ResponseToLesson("eng-1", "same-type", LessonResponse.applied, "Done", 1, NOW)
    await uow.responses.add(answer)

    inbox = await lesson_inbox("eng-1", COORDINATOR, uow)

    assert inbox.personal
    assert [(i.delivery.lesson_id, i.response) for i in inbox.records] == [
        ("same-place", None),
        ("same-type", answer),
        ("same-country", None),
    ]
    assert uow.nothing_committed


async def test_the_briefing_holds_only_the_lessons_recorded_by_the_opening() -> None:
    uow = await with_an_inbox()

    briefed = await briefing("eng-1", COORDINATOR, uow)

    assert [i.delivery.lesson_id for i in briefed.records] == ["same-country"]


async def test_a_response_is_kept_with_the_revision_answered_and_published() -> None:
    uow = await with_an_inbox()

    item = await respond_to_lesson(ADAPTED, COORDINATOR, uow, clock)

    assert item.response == ResponseToLesson(
        "eng-1", "same-place", LessonResponse.adapted, "Women heard apart", 1, NOW
    )
    assert await uow.responses.get("eng-1", "same-place") == item.response
    assert uow.published == [
        LessonRespondedV2(
            engagement_id="eng-1",
            lesson_id="same-place",
            response=LessonResponse.adapted,
            responded_at=NOW,
        )
    ]


@pytest.mark.parametrize(
    ("cmd", "refusal", "code", "field"),
    [
        pytest.param(
            RespondToLesson("eng-1", "in-kenya", LessonResponse.applied, "why"),
            NotFound,
            "not_found",
            "lesson_id",
            id="not-in-the-inbox",
        ),
        pytest.param(
            RespondToLesson("eng-1", "same-type", LessonResponse.applied, "again"),
            Conflict,
            "already_responded",
            "lesson_id",
            id="twice",
        ),
        pytest.param(
            RespondToLesson("eng-1", "same-place", LessonResponse.rejected, " "),
            DomainError,
            "required",
            "why",
            id="without-why",
        ),
        pytest.param(
            RespondToLesson("eng-9", "same-place", LessonResponse.applied, "why"),
            NotFound,
            "not_found",
            "engagement_id",
            id="unknown-engagement",
        ),
    ],
)
async def test_a_refused_response_is_neither_kept_nor_published(
    cmd: RespondToLesson, refusal: type[DomainError], code: str, field: str
) -> None:
    uow = await with_an_inbox()
    earlier = ResponseToLesson("eng-1", "same-type", LessonResponse.rejected, "No", 1, NOW)
    await uow.responses.add(earlier)

    with pytest.raises(refusal) as refused:
        await respond_to_lesson(cmd, COORDINATOR, uow, clock)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert uow.nothing_committed
    assert list(uow.responses.responses) == [("eng-1", "same-type")]


async def test_the_lessons_of_an_unknown_engagement_are_not_found() -> None:
    uow = await with_an_inbox()

    with pytest.raises(NotFound):
        await lesson_inbox("eng-9", COORDINATOR, uow)
    with pytest.raises(NotFound):
        await briefing("eng-9", COORDINATOR, uow)
