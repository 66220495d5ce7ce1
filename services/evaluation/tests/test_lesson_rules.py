"""The rules of a lesson learned, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from multitrack_evaluation.domain.lessons import (
    Lesson,
    LessonContext,
    Response,
    Wording,
    tally,
)
from multitrack_shared.errors import Conflict
from multitrack_shared.events.vocabulary import Confidence, LessonResponse

T0 = datetime(2025, 1, 1, tzinfo=UTC)
T1 = datetime(2025, 2, 1, tzinfo=UTC)
NEW = Wording("Revised.", "More evidence.", Confidence.high, LessonContext(countries=["PE"]))


def a_lesson() -> Lesson:
    return Lesson(
        id="lesson-1",
        owner_org="imtd",
        visibility="consortium",
        statement="First.",
        evidence="Some evidence.",
        confidence=Confidence.low,
        context=LessonContext(countries=["CO"]),
        recorded_at=T0,
    )


def test_a_revision_replaces_the_wording_and_counts_one_more() -> None:
    lesson = a_lesson()

    lesson.revise(NEW, T1)

    assert (lesson.statement, lesson.confidence, lesson.context) == (
        "Revised.",
        Confidence.high,
        NEW.context,
    )
    assert (lesson.revision, lesson.revised_at, lesson.active) == (2, T1, True)


def test_retiring_keeps_the_reason_and_ends_the_lesson() -> None:
    lesson = a_lesson()

    lesson.retire("Contradicted.", T1)

    assert (lesson.active, lesson.retired_reason, lesson.retired_at) == (False, "Contradicted.", T1)


@pytest.mark.parametrize("step", ["revise", "retire"])
def test_a_retired_lesson_changes_no_more(step: str) -> None:
    lesson = a_lesson()
    lesson.retire("Contradicted.", T1)

    steps = {"revise": lambda: lesson.revise(NEW, T1), "retire": lambda: lesson.retire("x", T1)}

    with pytest.raises(Conflict) as caught:
        steps[step]()

    assert caught.value.code == "lesson_retired"
    assert (lesson.revision, lesson.retired_reason) == (1, "Contradicted.")


def test_the_tally_names_every_response_even_those_never_given() -> None:
    responses = [
        Response("eng-1", LessonResponse.applied, T0),
        Response("eng-2", LessonResponse.applied, T0),
        Response("eng-3", LessonResponse.rejected, T0),
    ]

    assert tally(responses) == {
        LessonResponse.applied: 2,
        LessonResponse.adapted: 0,
        LessonResponse.rejected: 1,
    }
    assert tally([]) == dict.fromkeys(LessonResponse, 0)
