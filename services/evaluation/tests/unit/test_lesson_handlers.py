"""The lesson use cases on in-memory fakes: recording, revising and retiring each publish what
the engagements and invitations services apply; a retired or unknown lesson is refused; only
evaluators of the owning organization write, and an owner-only lesson stays with its owner."""

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
from multitrack_evaluation.application.projections import on_engagement_opened
from multitrack_evaluation.domain.lessons import Lesson, LessonContext, Response, Wording
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import Conflict, Forbidden, NotFound
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.vocabulary import Confidence, LessonResponse, RppQuadrant
from multitrack_shared.testing.principals import acting_for

from ..conftest import opened
from ..fakes import FakeEvaluationUnitOfWork
from .samples import (
    ADMIN,
    COORDINATOR,
    EVALUATOR,
    NOW,
    OBSERVER,
    OTHER_EVALUATOR,
    PARTNER_SYSTEM,
    clock,
)

pytestmark = pytest.mark.unit

RECORDED_AT = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
CONTEXT = LessonContext(
    countries=["CO"],
    tracks=[4],
    rpp_quadrants=[RppQuadrant.more_people_individual],
    conflict_ids=["c-land"],
)
WORDING = Wording("Listen first", "Two years of dialogues", Confidence.high, CONTEXT)
REVISED = Wording("Listen first, apart", "Three years", Confidence.medium, LessonContext())


def a_lesson(lesson_id: str = "l-1", **changes: Any) -> Lesson:
    lesson = Lesson(
        id=lesson_id,
        owner_org="org-a",
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


async def test_recording_keeps_the_callers_organizations_lesson_and_publishes_no_evidence() -> None:
    uow = FakeEvaluationUnitOfWork()

    view = await record_lesson(RecordLesson("owner", WORDING, "eng-1"), EVALUATOR, uow, clock)

    lesson = view.lesson
    assert await uow.lessons.get(lesson.id) == lesson
    assert (lesson.revision, lesson.recorded_at, view.responses) == (1, NOW, [])
    assert lesson.evidence == "Two years of dialogues"  # kept here, the lesson's owner
    assert uow.published == [
        events.LessonRecordedV3(
            lesson_id=lesson.id,
            ownership=Ownership(owner_org="org-a", visibility=Visibility.owner),
            statement="Listen first",
            confidence=Confidence.high,
            context=events.LessonContextV3(
                countries=["CO"],
                tracks=[4],
                rpp_quadrants=[RppQuadrant.more_people_individual],
                conflict_ids=["c-land"],
            ),
            source_engagement_id="eng-1",
            recorded_at=NOW,
        )
    ]


async def test_revising_numbers_the_revision_and_publishes_the_new_wording() -> None:
    uow = await holding(a_lesson())

    view = await revise_lesson(ReviseLesson("l-1", REVISED), EVALUATOR, uow, clock)

    assert (view.lesson.revision, view.lesson.statement) == (2, "Listen first, apart")
    assert await uow.lessons.get("l-1") == view.lesson
    assert view.lesson.evidence == "Three years"
    assert uow.published == [
        events.LessonRevisedV3(
            lesson_id="l-1",
            revision=2,
            statement="Listen first, apart",
            confidence=Confidence.medium,
            context=events.LessonContextV3(),
            revised_at=NOW,
        )
    ]


async def test_retiring_keeps_the_reason_and_publishes_the_retirement_without_it() -> None:
    uow = await holding(a_lesson())

    view = await retire_lesson(RetireLesson("l-1", "No longer holds"), EVALUATOR, uow, clock)

    assert not view.lesson.active
    assert view.lesson.retired_reason == "No longer holds"
    assert await uow.lessons.get("l-1") == view.lesson
    assert uow.published == [events.LessonRetiredV2(lesson_id="l-1", retired_at=NOW)]


Act = Callable[[FakeEvaluationUnitOfWork], Awaitable[LessonView]]


async def revising(uow: FakeEvaluationUnitOfWork, caller: Principal = EVALUATOR) -> LessonView:
    return await revise_lesson(ReviseLesson("l-1", REVISED), caller, uow, clock)


async def retiring(uow: FakeEvaluationUnitOfWork, caller: Principal = EVALUATOR) -> LessonView:
    return await retire_lesson(RetireLesson("l-1", "again"), caller, uow, clock)


async def reading(uow: FakeEvaluationUnitOfWork, caller: Principal = EVALUATOR) -> LessonView:
    return await get_lesson("l-1", caller, uow)


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
    await on_engagement_opened(opened("eng-1"), uow)
    answer = Response("eng-1", LessonResponse.adapted, NOW)
    await uow.responses.record("l-1", answer)

    view = await get_lesson("l-1", EVALUATOR, uow)

    assert view.responses == [answer]


async def test_the_search_filters_by_country_track_and_activity_newest_first() -> None:
    uow = await holding(
        a_lesson("old"),
        a_lesson("new", recorded_at=RECORDED_AT + timedelta(days=1)),
        a_lesson("kenya", context=LessonContext(countries=["KE"], tracks=[4])),
        a_lesson("retired", retired_at=RECORDED_AT, retired_reason="gone"),
    )

    in_colombia = await search_lessons(
        LessonFilter(country="CO", track=4, active=True), EVALUATOR, uow
    )
    retired = await search_lessons(LessonFilter(active=False), EVALUATOR, uow)

    assert [lesson.id for lesson in in_colombia] == ["new", "old"]
    assert [lesson.id for lesson in retired] == ["retired"]


@pytest.mark.parametrize(
    "caller",
    [COORDINATOR, PARTNER_SYSTEM, ADMIN, OBSERVER],
    ids=["coordinator", "partner-system", "consortium-admin", "observer"],
)
async def test_only_an_evaluator_records_a_lesson(caller: Principal) -> None:
    uow = FakeEvaluationUnitOfWork()

    with pytest.raises(Forbidden) as refused:
        await record_lesson(RecordLesson("consortium", WORDING), caller, uow, clock)

    assert refused.value.code == "role_required"
    assert uow.nothing_committed
    assert len(uow.lessons.lessons) == 0


async def test_an_evaluator_acting_for_no_single_organization_cannot_own_a_lesson() -> None:
    uow = FakeEvaluationUnitOfWork()

    with pytest.raises(Forbidden) as refused:
        await record_lesson(
            RecordLesson("consortium", WORDING), acting_for(None, Role.evaluator), uow, clock
        )

    assert refused.value.code == "no_organization"
    assert uow.nothing_committed


@pytest.mark.parametrize("act", [revising, retiring], ids=["revise", "retire"])
@pytest.mark.parametrize(
    ("caller", "visibility", "status", "code"),
    [
        pytest.param(OTHER_EVALUATOR, "consortium", 403, "not_owner", id="other-org-shared"),
        pytest.param(OTHER_EVALUATOR, "owner", 404, "not_found", id="other-org-owner-only"),
        pytest.param(COORDINATOR, "owner", 403, "role_required", id="coordinator"),
        pytest.param(PARTNER_SYSTEM, "consortium", 403, "role_required", id="partner-system"),
        pytest.param(ADMIN, "consortium", 403, "not_owner", id="admin-shared"),
        pytest.param(ADMIN, "owner", 404, "not_found", id="admin-owner-only"),
    ],
)
async def test_only_the_owning_organizations_evaluators_change_a_lesson(
    act: Any, caller: Principal, visibility: str, status: int, code: str
) -> None:
    lesson = a_lesson(visibility=visibility)
    uow = await holding(lesson)

    with pytest.raises((Forbidden, NotFound)) as refused:
        await act(uow, caller)

    assert (refused.value.status_code, refused.value.code) == (status, code)
    if status == 404:  # hidden exactly as a lesson that does not exist
        assert (refused.value.field, refused.value.message) == ("lesson_id", "no lesson l-1")
    assert uow.nothing_committed
    assert await uow.lessons.get("l-1") == lesson


async def test_an_owner_only_lesson_is_read_and_found_by_its_organization_alone() -> None:
    uow = await holding(a_lesson("l-1", visibility="owner"), a_lesson("shared"))

    for stranger in (OTHER_EVALUATOR, ADMIN, OBSERVER):
        with pytest.raises(NotFound) as hidden:
            await reading(uow, stranger)
        assert hidden.value.message == "no lesson l-1"
        found = await search_lessons(LessonFilter(), stranger, uow)
        assert [lesson.id for lesson in found] == ["shared"]
    for member in (EVALUATOR, COORDINATOR, PARTNER_SYSTEM):
        assert (await reading(uow, member)).lesson.id == "l-1"
        found = await search_lessons(LessonFilter(), member, uow)
        assert {lesson.id for lesson in found} == {"l-1", "shared"}


async def test_a_lesson_shows_only_the_responses_of_engagements_the_caller_may_see() -> None:
    uow = await holding(a_lesson())
    await on_engagement_opened(opened("eng-a"), uow)
    await on_engagement_opened(
        opened("eng-b", ownership=Ownership(owner_org="org-b", visibility=Visibility.owner)), uow
    )
    for engagement_id in ("eng-a", "eng-b", "eng-unknown"):
        answer = Response(engagement_id, LessonResponse.applied, NOW)
        await uow.responses.record("l-1", answer)

    mine = await get_lesson("l-1", EVALUATOR, uow)
    theirs = await get_lesson("l-1", OTHER_EVALUATOR, uow)

    assert [r.engagement_id for r in mine.responses] == ["eng-a"]
    assert [r.engagement_id for r in theirs.responses] == ["eng-a", "eng-b"]


async def test_a_caller_with_no_platform_role_reads_nothing() -> None:
    uow = await holding(a_lesson())
    nobody = Principal("someone", "org-a", frozenset(), EVALUATOR.kind)

    with pytest.raises(Forbidden) as refused:
        await get_lesson("l-1", nobody, uow)
    with pytest.raises(Forbidden):
        await search_lessons(LessonFilter(), nobody, uow)

    assert refused.value.code == "role_required"
