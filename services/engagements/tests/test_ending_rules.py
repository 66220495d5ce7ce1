"""Ending well and dates that make sense, as plain Python: the inviter's withdrawal, extending
the commitment, the exit plan, what closing needs, follow-ups, the days records may fall on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from multitrack_engagements.domain.dates import life_of
from multitrack_engagements.domain.ending import ExitPlan
from multitrack_engagements.domain.engagement import ClosingReason, Engagement, Status
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.times import latest_today

from .test_engagement_rules import EARLY, EXIT_PLAN, engagement

LATER = EARLY + timedelta(days=10)


def closing(**changes: object) -> Engagement:
    """Closing since ``EARLY`` for safety; with an exit plan unless told otherwise."""
    e = engagement(status=Status.active)
    e.change_status(Status.closing, at=EARLY, listening_complete=True, reason=ClosingReason.safety)
    if changes.get("planned", True):
        e.plan_exit(EXIT_PLAN)
    return e


@pytest.mark.parametrize("status", [Status.listening, Status.active, Status.paused])
def test_the_inviters_withdrawal_moves_an_open_engagement_to_closing(status: Status) -> None:
    e = engagement(status=status)

    change = e.invitation_withdrawn(EARLY)

    assert change is not None
    assert (change.from_status, change.to_status) == (status, Status.closing)
    assert e.closing_reason is ClosingReason.invitation_withdrawn
    assert e.closing_since == EARLY


@pytest.mark.parametrize("status", [Status.closing, Status.closed])
def test_a_withdrawal_leaves_an_engagement_already_closing_or_closed_as_it_is(
    status: Status,
) -> None:
    e = engagement(status=status)

    assert e.invitation_withdrawn(EARLY) is None
    assert (e.status, e.history) == (status, [])


def test_no_coordinator_gives_the_withdrawal_as_a_reason() -> None:
    e = engagement(status=Status.active)

    with pytest.raises(DomainError) as refused:
        e.change_status(
            Status.closing,
            at=EARLY,
            listening_complete=True,
            reason=ClosingReason.invitation_withdrawn,
        )

    assert (refused.value.code, refused.value.field) == ("reason_reserved", "reason")
    assert e.status is Status.active


def test_a_commitment_extends_to_a_later_end_only() -> None:
    e = engagement(status=Status.active)
    before = e.committed_until

    with pytest.raises(DomainError) as shortened:
        e.extend_commitment(before, EARLY)
    extension = e.extend_commitment(date(2031, 12, 31), EARLY)

    assert shortened.value.code == "extension_not_later"
    assert (extension.previous_until, extension.committed_until) == (before, date(2031, 12, 31))
    assert e.committed_until == date(2031, 12, 31)
    assert e.ending.extensions == (extension,)


@pytest.mark.parametrize(
    ("status", "code"),
    [(Status.closing, "engagement_closing"), (Status.closed, "engagement_closed")],
)
def test_a_commitment_ending_is_not_extended(status: Status, code: str) -> None:
    e = engagement(status=status)

    with pytest.raises(Conflict) as refused:
        e.extend_commitment(date(2031, 12, 31), EARLY)

    assert refused.value.code == code
    assert e.ending.extensions == ()


@pytest.mark.parametrize(
    ("planned_end_on", "follow_up_until", "code", "field"),
    [
        (date(2024, 1, 1), date(2024, 6, 1), "before_engagement", "planned_end_on"),
        (date(2027, 1, 1), date(2026, 12, 31), "follow_up_before_end", "follow_up_until"),
    ],
)
def test_an_exit_plan_whose_dates_make_no_sense_is_refused(
    planned_end_on: date, follow_up_until: date, code: str, field: str
) -> None:
    e = engagement(status=Status.active)

    with pytest.raises(DomainError) as refused:
        e.plan_exit(ExitPlan("Handover", planned_end_on, follow_up_until, EARLY))

    assert (refused.value.code, refused.value.field) == (code, field)
    assert e.ending.exit_plan is None


def test_closing_needs_an_exit_plan_first() -> None:
    e = closing(planned=False)

    with pytest.raises(Conflict) as refused:
        e.change_status(
            Status.closed, at=LATER, listening_complete=True, no_final_evaluation_reason="None"
        )

    assert (refused.value.code, refused.value.field) == ("exit_plan_required", "exit_plan")
    assert e.status is Status.closing


def test_closing_needs_a_final_evaluation_or_the_reason_there_is_none() -> None:
    e = closing()

    with pytest.raises(DomainError) as refused:
        e.change_status(Status.closed, at=LATER, listening_complete=True)
    with pytest.raises(DomainError) as blank:
        e.change_status(
            Status.closed, at=LATER, listening_complete=True, no_final_evaluation_reason="  "
        )

    assert refused.value.code == blank.value.code == "final_evaluation_required"
    assert refused.value.field == "no_final_evaluation_reason"
    assert e.status is Status.closing


def test_closing_on_the_final_evaluation_keeps_it_and_needs_no_reason() -> None:
    e = closing()
    with pytest.raises(DomainError) as both:
        e.change_status(
            Status.closed,
            at=LATER,
            listening_complete=True,
            final_evaluation_id="ev-9",
            no_final_evaluation_reason="Not needed",
        )

    e.change_status(Status.closed, at=LATER, listening_complete=True, final_evaluation_id="ev-9")

    assert both.value.code == "final_evaluation_exists"
    assert e.closed
    assert e.ending.closure is not None
    assert e.ending.closure.final_evaluation_id == "ev-9"
    assert e.closed_on == LATER.date()


def test_follow_ups_count_and_those_after_closure_count_apart() -> None:
    e = closing()
    e.followed_up(10, 4)
    e.change_status(
        Status.closed, at=LATER, listening_complete=True, no_final_evaluation_reason="Unsafe"
    )

    e.followed_up(8, 7)

    tally = e.ending.follow_ups
    assert (tally.recorded, tally.after_closure) == (2, 1)
    assert (tally.participants_reached, tally.using_skills) == (18, 11)


def test_no_more_participants_use_the_skills_than_were_reached() -> None:
    with pytest.raises(DomainError) as refused:
        FollowUp("f-1", "eng-1", date(2026, 1, 1), 5, 6, None, False, EARLY)

    assert (refused.value.code, refused.value.field) == ("more_than_reached", "using_skills")


START = date(2024, 2, 29)
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("on", "closed_on", "horizon", "code"),
    [
        pytest.param(date(2024, 2, 28), None, 0, "before_engagement", id="before-start"),
        pytest.param(date(2025, 6, 2), date(2025, 6, 1), 0, "after_engagement", id="after-close"),
        pytest.param(date(2026, 3, 4), None, 0, "beyond_horizon", id="tomorrow-everywhere"),
        pytest.param(date(2026, 4, 3), None, 30, "beyond_horizon", id="past-the-horizon"),
    ],
)
def test_a_day_outside_the_engagements_life_is_refused_naming_why(
    on: date, closed_on: date | None, horizon: int, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        life_of(START, closed_on, NOON, horizon).require(on, field="held_on")

    assert (refused.value.code, refused.value.field) == (code, "held_on")


@pytest.mark.parametrize(
    ("on", "horizon"),
    [
        pytest.param(START, 0, id="the-first-day"),
        pytest.param(date(2026, 3, 3), 0, id="already-today-somewhere"),
        pytest.param(date(2026, 4, 2), 30, id="within-the-horizon"),
    ],
)
def test_a_day_within_the_engagements_life_is_taken(on: date, horizon: int) -> None:
    assert life_of(START, None, NOON, horizon).require(on, field="held_on") == on


def test_today_is_the_latest_local_day_on_earth() -> None:
    assert latest_today(datetime(2026, 3, 2, 9, 59, tzinfo=UTC)) == date(2026, 3, 2)
    assert latest_today(datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) == date(2026, 3, 3)
