"""Use cases on activities."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.activities import (
    Activity,
    DoNoHarm,
    Facilitator,
    ParticipantCount,
)
from multitrack_engagements.domain.dates import DEFAULT_HORIZON_DAYS, life_of
from multitrack_engagements.domain.do_no_harm import (
    require_no_unmitigated_risk,
    require_no_unmitigated_risk_of_others,
)
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.methods import methods_named
from multitrack_engagements.domain.training import Training, check_trainers
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events import engagements as events
from multitrack_shared.events.vocabulary import RppQuadrant
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class RecordActivity:
    engagement_id: str
    kind: str
    held_on: date
    place: str
    tracks: tuple[int, ...]
    peacebuilding_kind: str
    rpp_quadrant: RppQuadrant
    methods: tuple[str, ...]
    """Codes of the methods of the consortium's catalogue it used."""
    facilitators: tuple[Facilitator, ...]
    participants: tuple[ParticipantCount, ...]
    do_no_harm: DoNoHarm
    horizon_days: int = DEFAULT_HORIZON_DAYS
    """How far ahead of today the activity may be planned."""
    designed_locally: bool | None = None
    training: Training | None = None


async def record_activity(
    cmd: RecordActivity, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> Activity:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("record an activity")
        now = clock()
        life = life_of(engagement.start_date, engagement.closed_on, now, cmd.horizon_days)
        life.require(cmd.held_on, field="held_on")
        methods = methods_named(cmd.methods, await uow.methods.named(cmd.methods))
        if cmd.training is not None:
            trainers = await uow.trainers.named(cmd.training.trainers)
            check_trainers(cmd.training, trainers, engagement.owner_org)
        require_no_unmitigated_risk(await uow.harm.of_engagement(engagement.id), cmd.place)
        require_no_unmitigated_risk_of_others(
            await uow.harm.unmitigated_high_risks_near(engagement.conflict.country, engagement.id),
            cmd.place,
        )
        activity = Activity(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            kind=cmd.kind,
            held_on=cmd.held_on,
            place=cmd.place,
            tracks=cmd.tracks,
            peacebuilding_kind=cmd.peacebuilding_kind,
            rpp_quadrant=cmd.rpp_quadrant,
            methods=methods,
            facilitators=cmd.facilitators,
            participants=cmd.participants,
            do_no_harm=cmd.do_no_harm,
            recorded_at=now,
            designed_locally=cmd.designed_locally,
            training=cmd.training,
        )
        engagement.activity_held(activity.held_on, activity.method_blend)
        await uow.activities.add(activity)
        await uow.engagements.save(engagement)
        uow.publish(_recorded(activity))
        await refresh_engagement(uow, engagement)
        await uow.commit()
    return activity


def _recorded(activity: Activity) -> events.ActivityRecordedV2:
    return events.ActivityRecordedV2(
        engagement_id=activity.engagement_id,
        activity_id=activity.id,
        kind=activity.kind,
        held_on=activity.held_on,
        tracks=list(activity.tracks),
        peacebuilding_kind=activity.peacebuilding_kind,
        rpp_quadrant=activity.rpp_quadrant,
        methods=[
            events.Method(name=m.name, origin=m.origin, code=m.code) for m in activity.methods
        ],
        local_facilitators=activity.local_facilitators,
        external_facilitators=activity.external_facilitators,
        led_locally=activity.led_locally,
        participants=[
            events.ParticipantCount(
                sex=p.sex, role=p.role, track=p.track, side=p.side, count=p.count
            )
            for p in activity.participants
        ],
        designed_locally=activity.designed_locally,
        training=_training(activity.training),
    )


def _training(training: Training | None) -> events.TrainingDetails | None:
    if training is None:
        return None
    return events.TrainingDetails(
        trainer_ids=list(training.trainers), follow_up_months=list(training.follow_up_months)
    )


async def list_activities(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[Activity]]:
    async with uow:
        return await activities_of(
            await readable_engagement(uow, engagement_id, caller), caller, uow
        )


async def activities_of(
    engagement: Engagement, caller: Principal, uow: EngagementsUoW
) -> Shown[list[Activity]]:
    """The activities of an engagement already read, inside the caller's open unit of work."""
    return shown(await uow.activities.of_engagement(engagement.id), engagement, caller)
