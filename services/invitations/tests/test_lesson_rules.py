"""The lessons read model's rules and the invitation's match context, with no I/O."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from multitrack_invitations.domain import lessons
from multitrack_invitations.domain.invitation import Invitation, Inviter
from multitrack_invitations.domain.lessons import Lesson, Wording
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.matching import MatchContext

T0 = datetime(2025, 1, 10, tzinfo=UTC)
T1 = datetime(2025, 2, 10, tzinfo=UTC)
COLOMBIA_LAND = {"countries": ["CO"], "conflict_types": ["land"]}


def wording(statement: str = "first", /, **context: list[str]) -> Wording:
    return Wording(statement, "medium", context or COLOMBIA_LAND)


def recorded(known: Lesson | None = None, lesson_id: str = "l1", **changes: Any) -> Lesson:
    fields: dict[str, Any] = {
        "lesson_id": lesson_id,
        "wording": wording(),
        "owner_org": "imtd",
        "visibility": "consortium",
        "recorded_at": T0,
    }
    return lessons.recorded(known, **{**fields, **changes})


def revised(known: Lesson | None, number: int, statement: str = "revised") -> Lesson:
    return lessons.revised(
        known, lesson_id="l1", revision=number, wording=wording(statement), revised_at=T1
    )


def test_a_recorded_lesson_is_active_at_revision_one() -> None:
    lesson = recorded()

    assert (lesson.revision, lesson.active) == (1, True)
    assert lesson.wording == wording()


def test_a_higher_revision_replaces_the_wording_and_a_lower_or_equal_one_is_ignored() -> None:
    third = revised(revised(recorded(), 3, "third"), 2, "second")

    assert (third.revision, third.wording and third.wording.statement) == (3, "third")
    assert revised(third, 3, "third again") == third


def test_a_recording_seen_after_a_revision_keeps_the_revision_but_learns_the_owner() -> None:
    lesson = recorded(revised(None, 2, "second"))

    assert lesson.revision == 2
    assert lesson.wording is not None
    assert lesson.wording.statement == "second"
    assert lesson.owner_org == "imtd"


def test_a_retired_lesson_is_inactive_for_good_and_keeps_its_first_retirement() -> None:
    lesson = lessons.retired(recorded(), lesson_id="l1", retired_at=T0)
    again = lessons.retired(lesson, lesson_id="l1", retired_at=T1)

    assert lesson.active is False
    assert again == lesson
    assert revised(lesson, 2).active is False


def test_a_lesson_known_only_by_its_retirement_is_inactive() -> None:
    lesson = lessons.retired(None, lesson_id="l1", retired_at=T0)

    assert lesson.active is False
    assert recorded(lesson).active is False


def an_invitation(owner_org: str = "imtd") -> Invitation:
    return Invitation.receive(
        id="inv-1",
        owner_org=owner_org,
        visibility="consortium",
        inviter=Inviter("Council", "community council", 4, True, "rural communities"),
        conflict=ConflictDescription(
            "Montes de María", "CO", "Caribbean region", "land", "post-agreement"
        ),
        support_requested="Dialogue",
        channel="letter",
        received_at=T0,
    )


def test_an_invitation_is_matched_by_its_conflict_and_its_inviters_track() -> None:
    assert an_invitation().match_context == MatchContext(
        country="CO",
        region="Caribbean region",
        conflict_type="land",
        phase="post-agreement",
        tracks=frozenset({4}),
    )


def test_only_active_lessons_visible_to_the_owner_reach_ranked_by_the_shared_rule() -> None:
    best = recorded(lesson_id="best", wording=wording(**COLOMBIA_LAND, phases=["post-agreement"]))
    good = recorded(lesson_id="good")
    retired = lessons.retired(recorded(lesson_id="retired"), lesson_id="retired", retired_at=T0)
    theirs = recorded(lesson_id="theirs", owner_org="other", visibility="owner")
    ours = recorded(lesson_id="ours", visibility="owner")
    elsewhere = recorded(lesson_id="elsewhere", wording=wording(countries=["KE"]))
    invitation = an_invitation()

    found = lessons.reaching(
        invitation.match_context,
        invitation.owner_org,
        [good, retired, theirs, elsewhere, ours, best],
    )

    assert [(m.lesson.lesson_id, m.score) for m in found] == [("best", 6), ("good", 5), ("ours", 5)]
    assert found[0].reasons == (
        "same country: CO",
        "same conflict type: land",
        "same phase: post-agreement",
    )
