"""The lesson rules as plain Python: what the inbox holds, merging lesson events in any order,
ranking, and responding once."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from multitrack_engagements.domain.engagement import Engagement, Status
from multitrack_engagements.domain.facts import ActivityFacts, EngagementFacts, PartnerSource
from multitrack_engagements.domain.lessons import (
    Delivery,
    Lesson,
    ResponseToLesson,
    delivery_of,
    in_briefing,
    match_context,
    ranked,
    respond,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.matching import LessonScope

OPENED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)
RECORDED_AT = datetime(2023, 11, 1, tzinfo=UTC)


def facts(status: Status = Status.active, **more: object) -> EngagementFacts:
    engagement = Engagement.open_from_invitation(
        invitation_id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        purpose="Dialogue",
        conflict=ConflictDescription(
            name="Montes de María", country="CO", conflict_type="land", phase="post-agreement"
        ),
        inviter_track=4,
        commitment_years=5,
        accepted_at=OPENED_AT,
    )
    return EngagementFacts(engagement=replace(engagement, status=status), **more)  # type: ignore[arg-type]


def lesson(scope: LessonScope | None = None, *, active: bool = True, revision: int = 1) -> Lesson:
    return Lesson(
        lesson_id="lesson-1",
        revision=revision,
        statement="Hold dialogues on neutral ground.",
        confidence="high",
        scope=scope or LessonScope.of(countries=["co"], conflict_types=["Land"]),
        recorded_at=RECORDED_AT,
        active=active,
    )


ELSEWHERE = LessonScope.of(countries=["KE"], conflict_types=["land"])


# --- what the inbox holds -------------------------------------------------------------------


def test_the_match_context_gathers_tracks_methods_kinds_and_quadrants_from_every_source() -> None:
    context = match_context(
        facts(
            actor_tracks=(7,),
            heard_tracks=(1,),
            activities=(ActivityFacts((5,), ("Palabreo",), "social", "key_people_individual"),),
            partners=(PartnerSource("p", "Red", (6,), ended=True),),
        )
    )

    assert context.country == "CO"
    assert context.conflict_type == "land"
    assert context.tracks == {1, 4, 5, 6, 7}
    assert context.methods == {"Palabreo"}
    assert context.peacebuilding_kinds == {"social"}
    assert context.rpp_quadrants == {"key_people_individual"}


@pytest.mark.parametrize(
    ("reaches", "active", "revision", "status", "responded", "delivered"),
    [
        pytest.param(True, True, 1, Status.active, False, True, id="active-reaching-open"),
        pytest.param(False, True, 1, Status.active, False, False, id="does-not-reach"),
        pytest.param(True, False, 1, Status.active, False, False, id="retired"),
        pytest.param(True, True, 1, Status.closed, False, False, id="engagement-closed"),
        pytest.param(True, True, 1, Status.closing, False, True, id="engagement-closing"),
        pytest.param(True, False, 0, Status.active, False, False, id="retirement-only-known"),
        pytest.param(False, True, 1, Status.active, True, True, id="responded-out-of-reach"),
        pytest.param(True, False, 1, Status.active, True, True, id="responded-retired"),
        pytest.param(True, True, 1, Status.closed, True, True, id="responded-closed"),
    ],
)
def test_the_inbox_holds_active_reaching_lessons_of_open_engagements_and_every_responded_one(
    reaches: bool, active: bool, revision: int, status: Status, responded: bool, delivered: bool
) -> None:
    the_lesson = lesson(None if reaches else ELSEWHERE, active=active, revision=revision)

    delivery = delivery_of(the_lesson, facts(status), responded=responded)

    assert (delivery is not None) is delivered
    if delivery is not None:
        assert delivery.retired is not active
        assert delivery.reaches is reaches


def test_a_delivery_carries_the_score_relevance_and_reasons_of_the_shared_matching_rule() -> None:
    delivery = delivery_of(lesson(), facts(), responded=False)

    assert delivery is not None
    assert (delivery.score, delivery.relevance) == (5, 1.0)
    assert delivery.reasons == ("same country: CO", "same conflict type: land")
    assert delivery.recorded_at == RECORDED_AT


def test_the_briefing_takes_lessons_recorded_at_or_before_the_opening() -> None:
    base = delivery_of(lesson(), facts(), responded=False)
    assert base is not None

    assert in_briefing(replace(base, recorded_at=OPENED_AT), OPENED_AT)
    assert not in_briefing(replace(base, recorded_at=datetime(2024, 3, 1, tzinfo=UTC)), OPENED_AT)
    assert not in_briefing(replace(base, recorded_at=None), OPENED_AT)


# --- merging lesson events in any order -----------------------------------------------------

Step = Callable[[Lesson | None], Lesson]

STEPS: dict[str, Step] = {
    "recorded": lambda earlier: Lesson.recorded(
        earlier,
        lesson_id="l",
        statement="first",
        confidence="low",
        scope=LessonScope.of(countries=["CO"]),
        recorded_at=RECORDED_AT,
        owner_org="imtd",
        visibility="consortium",
    ),
    "revised-2": lambda earlier: Lesson.revised(
        earlier,
        lesson_id="l",
        revision=2,
        statement="second",
        confidence="medium",
        scope=LessonScope.of(countries=["PE"]),
    ),
    "revised-3": lambda earlier: Lesson.revised(
        earlier,
        lesson_id="l",
        revision=3,
        statement="third",
        confidence="high",
        scope=LessonScope.of(countries=["KE"]),
    ),
    "retired": lambda earlier: earlier.retired() if earlier else Lesson.retired_unseen("l"),
}


def merged(order: tuple[str, ...]) -> Lesson:
    current: Lesson | None = None
    for name in order:
        current = STEPS[name](current)
    assert current is not None
    return current


@pytest.mark.parametrize("with_retirement", [True, False])
def test_lesson_events_merge_to_the_same_lesson_whatever_their_order(
    with_retirement: bool,
) -> None:
    names = [n for n in STEPS if with_retirement or n != "retired"]
    results = {merged(order) for order in itertools.permutations(names)}

    (result,) = results
    assert (result.revision, result.statement, result.recorded_at) == (3, "third", RECORDED_AT)
    assert result.scope == LessonScope.of(countries=["KE"])
    assert result.active is not with_retirement


# --- ranking and responding -----------------------------------------------------------------


def delivery(lesson_id: str, score: int, relevance: float, reaches: bool = True) -> Delivery:
    return Delivery("e", lesson_id, 1, "s", "high", score, relevance, (), reaches, False, None)


def test_ranking_puts_reaching_lessons_by_score_then_relevance_and_kept_ones_last() -> None:
    order = ranked(
        [
            delivery("kept", 8, 1.0, reaches=False),
            delivery("b", 3, 0.5),
            delivery("a", 3, 0.5),
            delivery("top", 6, 0.6),
            delivery("close", 3, 0.75),
        ]
    )

    assert [d.lesson_id for d in order] == ["top", "close", "a", "b", "kept"]


def test_a_lesson_not_in_the_inbox_cannot_be_responded_to() -> None:
    with pytest.raises(NotFound) as refused:
        respond(None, None, lesson_id="l", response=LessonResponse.applied, why="x", at=OPENED_AT)

    assert refused.value.field == "lesson_id"


def test_a_lesson_is_responded_to_once() -> None:
    first = ResponseToLesson("e", "l", LessonResponse.applied, "why", 1, OPENED_AT)

    with pytest.raises(Conflict) as refused:
        respond(
            delivery("l", 5, 1.0),
            first,
            lesson_id="l",
            response=LessonResponse.rejected,
            why="changed our minds",
            at=OPENED_AT,
        )

    assert refused.value.code == "already_responded"


def test_a_response_says_why_and_records_the_revision_it_answers() -> None:
    with pytest.raises(DomainError) as refused:
        respond(
            delivery("l", 5, 1.0), None, lesson_id="l", response=LessonResponse.adapted,
            why=" ", at=OPENED_AT,
        )  # fmt: skip
    answer = respond(
        replace(delivery("l", 5, 1.0), revision=4),
        None,
        lesson_id="l",
        response=LessonResponse.adapted,
        why="Adapted to the elders' council.",
        at=OPENED_AT,
    )

    assert refused.value.field == "why"
    assert (answer.revision, answer.response) == (4, LessonResponse.adapted)
