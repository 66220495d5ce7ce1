"""Use cases of ending well: extending the commitment, planning the exit, following
participants up (after closure too). Closing itself is a status change
(``engagements.change_status``), which these make possible."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.engagements import EngagementView, view_of
from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.dates import life_of
from multitrack_engagements.domain.ending import ExitPlan
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_engagements.domain.training import TrainingLink, check_follow_up_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class ExtendCommitment:
    engagement_id: str
    committed_until: date
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class PlanExit:
    engagement_id: str
    handover: str
    planned_end_on: date
    follow_up_until: date
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class RecordFollowUp:
    engagement_id: str
    held_on: date
    participants_reached: int
    using_skills: int
    note: str | None = None
    training: TrainingLink | None = None


async def extend_commitment(
    cmd: ExtendCommitment, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> EngagementView:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller, cmd.precondition)
        extension = engagement.extend_commitment(cmd.committed_until, clock())
        await uow.engagements.save(engagement)
        uow.publish(
            events.CommitmentExtended(
                engagement_id=engagement.id,
                previous_until=extension.previous_until,
                committed_until=extension.committed_until,
                extended_at=extension.at,
            )
        )
        await uow.commit()
    return view_of(engagement, caller, clock)


async def plan_exit(
    cmd: PlanExit, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> EngagementView:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller, cmd.precondition)
        plan = engagement.plan_exit(
            ExitPlan(cmd.handover, cmd.planned_end_on, cmd.follow_up_until, clock())
        )
        await uow.engagements.save(engagement)
        uow.publish(
            events.ExitPlanned(
                engagement_id=engagement.id,
                planned_end_on=plan.planned_end_on,
                follow_up_until=plan.follow_up_until,
                planned_at=plan.planned_at,
            )
        )
        await uow.commit()
    return view_of(engagement, caller, clock)


async def record_follow_up(
    cmd: RecordFollowUp, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> FollowUp:
    """A follow-up is something that happened: on a day of the engagement's life, after its
    closure included, and not in the future."""
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        now = clock()
        life_of(engagement.start_date, None, now).require(cmd.held_on, field="held_on")
        if cmd.training is not None:
            await _check_training_link(uow, engagement.id, cmd.training, cmd)
        follow_up = FollowUp(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            held_on=cmd.held_on,
            participants_reached=cmd.participants_reached,
            using_skills=cmd.using_skills,
            note=cmd.note,
            after_closure=engagement.closed,
            recorded_at=now,
            training=cmd.training,
        )
        engagement.followed_up(follow_up.participants_reached, follow_up.using_skills)
        await uow.follow_ups.add(follow_up)
        await uow.engagements.save(engagement)
        uow.publish(
            events.FollowUpRecorded(
                engagement_id=engagement.id,
                follow_up_id=follow_up.id,
                held_on=follow_up.held_on,
                participants_reached=follow_up.participants_reached,
                using_skills=follow_up.using_skills,
                after_closure=follow_up.after_closure,
                recorded_at=follow_up.recorded_at,
                training_id=cmd.training.training_id if cmd.training else None,
                months_after=cmd.training.months_after if cmd.training else None,
            )
        )
        await uow.commit()
    return follow_up


async def _check_training_link(
    uow: EngagementsUoW, engagement_id: str, link: TrainingLink, cmd: RecordFollowUp
) -> None:
    activity = await uow.activities.get(link.training_id)
    if activity is None or activity.engagement_id != engagement_id or activity.training is None:
        raise DomainError(
            f"no training {link.training_id} in this engagement",
            field="training_id",
            code="unknown_training",
        )
    check_follow_up_of(
        link,
        activity.training,
        held_on=cmd.held_on,
        trained_on=activity.held_on,
        trainees=activity.participants_counted,
        reached=cmd.participants_reached,
    )


async def list_follow_ups(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[FollowUp]]:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        return shown(await uow.follow_ups.of_engagement(engagement_id), engagement, caller)
