"""Ending well on in-memory fakes: the inviter's withdrawal, the evaluations closing looks
for, extending, the exit plan, follow-ups after closure, and activities' dates. Each use case
publishes what it changed, codes and counts only; a refusal keeps and publishes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from multitrack_engagements.application.activities import record_activity
from multitrack_engagements.application.ending import (
    ExtendCommitment,
    PlanExit,
    RecordFollowUp,
    extend_commitment,
    plan_exit,
    record_follow_up,
)
from multitrack_engagements.application.engagements import ChangeStatus, change_status
from multitrack_engagements.application.projections import (
    on_evaluation_completed,
    on_invitation_withdrawn,
)
from multitrack_engagements.domain.engagement import ClosingReason, Status, engagement_id_for
from multitrack_shared.errors import DomainError
from multitrack_shared.events import engagements as events
from multitrack_shared.events.evaluation import EvaluationCompleted
from multitrack_shared.events.invitations import InvitationWithdrawn, InvitationWithdrawnV2
from multitrack_shared.events.upcasting import invitation_withdrawn_v2

from ..conftest import NOW
from .samples import (
    ACTIVITY,
    COORDINATOR,
    ENGAGEMENT,
    an_engagement,
    clock,
    holding,
    in_status,
    ready_to_close,
)

pytestmark = pytest.mark.unit

INVITATION = "inv-7"
WITHDRAWN_AT = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def withdrawn(
    version: type[InvitationWithdrawnV2] = InvitationWithdrawnV2,
) -> InvitationWithdrawnV2:
    return version(invitation_id=INVITATION, withdrawn_at=WITHDRAWN_AT)


def evaluation_completed(
    completed_at: datetime, evaluation_id: str = "ev-1"
) -> EvaluationCompleted:
    return EvaluationCompleted(
        evaluation_id=evaluation_id,
        engagement_id=ENGAGEMENT,
        period_start=date(2024, 3, 1),
        period_end=completed_at.date(),
        dac_scores={},
        procedure_adherence={},
        completed_at=completed_at,
    )


async def test_a_withdrawal_moves_the_invitations_engagement_to_closing_once() -> None:
    engagement = an_engagement(engagement_id_for(INVITATION), invitation_id=INVITATION)
    uow = await holding(replace(engagement, status=Status.active))

    await uow.consume(on_invitation_withdrawn, withdrawn())
    # A redelivery of the older version, as a rebuild reads it: through its upcaster.
    await uow.consume(
        on_invitation_withdrawn,
        invitation_withdrawn_v2(
            InvitationWithdrawn(invitation_id=INVITATION, withdrawn_at=WITHDRAWN_AT)
        ),
    )

    kept = await uow.engagements.get(engagement.id)
    assert kept is not None
    assert (kept.status, kept.closing_reason) == (
        Status.closing,
        ClosingReason.invitation_withdrawn,
    )
    assert uow.published == [
        events.EngagementStatusChangedV2(
            engagement_id=engagement.id,
            from_status="active",
            to_status="closing",
            reason="invitation_withdrawn",
            changed_at=WITHDRAWN_AT,
        )
    ]


async def test_an_invitation_withdrawn_before_acceptance_changes_no_engagement() -> None:
    uow = await holding(an_engagement())

    await uow.consume(on_invitation_withdrawn, withdrawn())

    assert uow.published == []
    assert [e.status for e in uow.engagements.engagements.values()] == [Status.listening]


async def test_closing_takes_the_evaluation_completed_since_closing_began() -> None:
    closing = ready_to_close()
    began = closing.closing_since
    assert began is not None
    uow = await holding(closing)
    await uow.consume(on_evaluation_completed, evaluation_completed(began - timedelta(days=1)))
    await uow.consume(on_evaluation_completed, evaluation_completed(began, "ev-final"))

    view = await change_status(ChangeStatus(ENGAGEMENT, Status.closed), COORDINATOR, uow, clock)

    assert view.engagement.ending.closure is not None
    assert view.engagement.ending.closure.final_evaluation_id == "ev-final"
    (closed,) = [e for e in uow.published if isinstance(e, events.EngagementClosed)]
    assert closed.final_evaluation_id == "ev-final"


async def test_an_evaluation_from_before_closing_is_not_a_final_one() -> None:
    closing = ready_to_close()
    assert closing.closing_since is not None
    uow = await holding(closing)
    before = closing.closing_since - timedelta(hours=1)
    await uow.consume(on_evaluation_completed, evaluation_completed(before))
    published = len(uow.published)

    with pytest.raises(DomainError) as refused:
        await change_status(ChangeStatus(ENGAGEMENT, Status.closed), COORDINATOR, uow, clock)

    assert refused.value.code == "final_evaluation_required"
    assert len(uow.published) == published


async def test_extending_the_commitment_publishes_both_ends() -> None:
    uow = await holding(in_status(Status.active))

    view = await extend_commitment(
        ExtendCommitment(ENGAGEMENT, date(2031, 12, 31)), COORDINATOR, uow, clock
    )

    assert view.engagement.committed_until == date(2031, 12, 31)
    assert uow.published == [
        events.CommitmentExtended(
            engagement_id=ENGAGEMENT,
            previous_until=date(2029, 2, 28),
            committed_until=date(2031, 12, 31),
            extended_at=NOW,
        )
    ]


async def test_the_exit_plan_is_kept_and_published_without_its_handover() -> None:
    uow = await holding(in_status(Status.active))
    cmd = PlanExit(
        ENGAGEMENT, "Rosa Villa leads the circles.", date(2028, 6, 30), date(2029, 6, 30)
    )

    view = await plan_exit(cmd, COORDINATOR, uow, clock)

    assert view.engagement.ending.exit_plan is not None
    assert view.engagement.ending.exit_plan.handover == "Rosa Villa leads the circles."
    (event,) = uow.published
    assert isinstance(event, events.ExitPlanned)
    assert (event.planned_end_on, event.follow_up_until) == (date(2028, 6, 30), date(2029, 6, 30))
    assert "Rosa Villa" not in event.model_dump_json()


async def test_a_follow_up_after_closure_is_recorded_and_counted() -> None:
    uow = await holding(in_status(Status.closed))
    cmd = RecordFollowUp(ENGAGEMENT, date(2026, 2, 20), 12, 9, "Tomasa mediates now.")

    follow_up = await record_follow_up(cmd, COORDINATOR, uow, clock)

    assert follow_up.after_closure
    kept = await uow.engagements.get(ENGAGEMENT)
    assert kept is not None
    assert (kept.ending.follow_ups.recorded, kept.ending.follow_ups.after_closure) == (1, 1)
    (event,) = uow.published
    assert isinstance(event, events.FollowUpRecorded)
    assert (event.participants_reached, event.using_skills, event.after_closure) == (12, 9, True)
    assert "Tomasa" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("held_on", "code"),
    [(date(2024, 1, 10), "before_engagement"), (date(2026, 3, 10), "beyond_horizon")],
    ids=["before-the-start", "in-the-future"],
)
async def test_a_follow_up_on_a_day_that_makes_no_sense_is_refused(
    held_on: date, code: str
) -> None:
    uow = await holding(in_status(Status.closed))

    with pytest.raises(DomainError) as refused:
        await record_follow_up(RecordFollowUp(ENGAGEMENT, held_on, 3, 1), COORDINATOR, uow, clock)

    assert (refused.value.code, refused.value.field) == (code, "held_on")
    assert uow.nothing_committed


@pytest.mark.parametrize(
    ("held_on", "horizon_days", "code"),
    [
        (date(2024, 2, 28), 730, "before_engagement"),
        (date(2026, 3, 4), 0, "beyond_horizon"),
        (NOW.date() + timedelta(days=32), 30, "beyond_horizon"),
    ],
    ids=["before-the-start", "no-planning-ahead", "past-the-horizon"],
)
async def test_an_activity_outside_the_engagements_life_is_refused(
    held_on: date, horizon_days: int, code: str
) -> None:
    uow = await holding(in_status(Status.active))
    cmd = replace(ACTIVITY, held_on=held_on, horizon_days=horizon_days)

    with pytest.raises(DomainError) as refused:
        await record_activity(cmd, COORDINATOR, uow, clock)

    assert (refused.value.code, refused.value.field) == (code, "held_on")
    assert uow.nothing_committed


async def test_an_activity_planned_within_the_horizon_is_recorded() -> None:
    uow = await holding(in_status(Status.active))
    cmd = replace(ACTIVITY, held_on=NOW.date() + timedelta(days=30), horizon_days=30)

    activity = await record_activity(cmd, COORDINATOR, uow, clock)

    assert activity.held_on == NOW.date() + timedelta(days=30)
