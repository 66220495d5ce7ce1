"""The commitment's rules as plain Python (status machine, closing reasons, health): no
database, no HTTP, milliseconds."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from multitrack_engagements.domain.ending import Ending, ExitPlan
from multitrack_engagements.domain.engagement import (
    ClosingReason,
    Engagement,
    MethodBlend,
    Status,
)
from multitrack_engagements.domain.health import (
    commitment_health,
    months_between,
    quiet_cutoff,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError

OPENED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)
EARLY = datetime(2026, 3, 2, tzinfo=UTC)
EXIT_PLAN = ExitPlan("Handed over to the councils.", date(2026, 6, 1), date(2027, 6, 1), EARLY)
NO_EVALUATION: dict[str, Any] = {"no_final_evaluation_reason": "Evaluators could not travel."}


def engagement(**changes: Any) -> Engagement:
    opened = Engagement.open_from_invitation(
        invitation_id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        purpose="Dialogue facilitation",
        conflict=ConflictDescription(name="Montes de María", country="CO"),
        inviter_track=4,
        commitment_years=5,
        accepted_at=OPENED_AT,
    )
    return replace(opened, **changes)


# --- status machine -------------------------------------------------------------------------


ALLOWED = {
    (Status.listening, Status.active),
    (Status.active, Status.paused),
    (Status.paused, Status.active),
    (Status.active, Status.closing),
    (Status.paused, Status.closing),
    (Status.closing, Status.closed),
}


@pytest.mark.parametrize(
    ("start", "to"),
    [pytest.param(a, b, id=f"{a}-to-{b}") for a, b in itertools.product(Status, Status)],
)
def test_only_the_transitions_of_the_status_machine_are_allowed(start: Status, to: Status) -> None:
    e = engagement(status=start, ending=Ending(exit_plan=EXIT_PLAN))

    if (start, to) in ALLOWED:
        change = e.change_status(
            to, at=EARLY, listening_complete=True, reason=ClosingReason.safety, **NO_EVALUATION
        )
        assert (change.from_status, change.to_status) == (start, to)
        assert e.status is to
        assert e.history == [change]
    else:
        with pytest.raises(Conflict) as refused:
            e.change_status(to, at=EARLY, listening_complete=True, reason=ClosingReason.safety)
        assert refused.value.code == "invalid_transition"
        assert e.status is start
        assert e.history == []


def test_listening_becomes_active_only_when_listening_is_complete() -> None:
    e = engagement()

    with pytest.raises(Conflict) as refused:
        e.change_status(Status.active, at=EARLY, listening_complete=False)

    assert refused.value.code == "listening_incomplete"
    assert e.status is Status.listening


@pytest.mark.parametrize("start", [Status.active, Status.paused])
def test_closing_before_the_commitment_ends_needs_a_reason(start: Status) -> None:
    e = engagement(status=start)

    with pytest.raises(DomainError) as refused:
        e.change_status(Status.closing, at=EARLY, listening_complete=True)

    assert (refused.value.code, refused.value.field, refused.value.status_code) == (
        "reason_required",
        "reason",
        422,
    )
    assert e.status is start


@pytest.mark.parametrize(
    ("moment", "early"),
    [
        pytest.param(datetime(2029, 2, 27, 23, 59, tzinfo=UTC), True, id="the-day-before"),
        pytest.param(datetime(2029, 2, 28, 0, 0, tzinfo=UTC), False, id="the-last-day"),
        pytest.param(datetime(2031, 1, 1, tzinfo=UTC), False, id="long-after"),
    ],
)
def test_closing_is_early_exactly_before_committed_until(moment: datetime, early: bool) -> None:
    e = engagement(status=Status.active)

    assert e.ends_early(moment.date()) is early
    if early:
        with pytest.raises(DomainError):
            e.change_status(Status.closing, at=moment, listening_complete=True)
    else:
        e.change_status(Status.closing, at=moment, listening_complete=True)
        assert e.status is Status.closing
        assert e.closing_reason is None


def test_the_closing_reason_is_kept_for_the_closure() -> None:
    e = engagement(status=Status.paused, ending=Ending(exit_plan=EXIT_PLAN))

    e.change_status(
        Status.closing, at=EARLY, listening_complete=True, reason=ClosingReason.mutual_agreement
    )
    e.change_status(
        Status.closed, at=EARLY + timedelta(days=30), listening_complete=True, **NO_EVALUATION
    )

    assert e.closed
    assert e.closing_reason is ClosingReason.mutual_agreement


def test_a_closed_engagement_refuses_activities_with_409() -> None:
    e = engagement(status=Status.closed)

    with pytest.raises(Conflict) as refused:
        e.activity_held(date(2026, 1, 1), MethodBlend(1, 0))

    assert refused.value.code == "engagement_closed"


def test_an_activity_moves_the_last_activity_forward_only_and_adds_to_the_blend() -> None:
    e = engagement(status=Status.active)

    e.activity_held(date(2026, 1, 20), MethodBlend(2, 1))
    e.activity_held(date(2025, 6, 1), MethodBlend(0, 1))

    assert e.last_activity_on == date(2026, 1, 20)
    assert e.method_blend == MethodBlend(local=2, external=2)


# --- health ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        pytest.param(date(2025, 1, 31), date(2025, 2, 28), 0, id="end-of-january-to-february"),
        pytest.param(date(2025, 1, 31), date(2025, 3, 1), 1, id="to-first-of-march"),
        pytest.param(date(2025, 3, 15), date(2025, 9, 15), 6, id="same-day-six-months"),
        pytest.param(date(2025, 3, 15), date(2025, 9, 14), 5, id="a-day-short"),
        pytest.param(date(2025, 3, 15), date(2025, 3, 1), 0, id="later-is-before"),
    ],
)
def test_months_are_whole_calendar_months(earlier: date, later: date, months: int) -> None:
    assert months_between(earlier, later) == months


def test_the_quiet_cutoff_is_the_exact_inverse_of_the_month_count() -> None:
    start = date(2023, 1, 1)
    for offset in range(0, 900, 7):
        today = start + timedelta(days=offset)
        cutoff = quiet_cutoff(today)
        for back in range(150, 220):
            last = today - timedelta(days=back)
            assert (months_between(last, today) >= 6) == (last <= cutoff), (last, today)


def test_health_counts_days_share_and_quiet_months_from_the_start_without_activity() -> None:
    health = commitment_health(
        start=date(2024, 2, 29),
        committed_until=date(2029, 2, 28),
        last_activity_on=None,
        today=date(2024, 8, 29),
    )

    assert health.days_elapsed == 182
    assert health.days_left == 1826 - 182
    assert health.share_elapsed == round(182 / 1826, 3)
    assert health.months_without_activity == 6
    assert health.quiet is True


def test_health_past_the_commitment_has_no_days_left_and_a_full_share() -> None:
    health = commitment_health(
        start=date(2024, 2, 29),
        committed_until=date(2029, 2, 28),
        last_activity_on=date(2030, 1, 1),
        today=date(2030, 3, 1),
    )

    assert health.days_left == 0
    assert health.share_elapsed == 1.0
    assert health.months_without_activity == 2
    assert health.quiet is False
