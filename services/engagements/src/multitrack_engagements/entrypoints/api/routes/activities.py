"""Activities."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import activities as handlers
from multitrack_engagements.domain.activities import (
    DoNoHarm,
    Facilitator,
    ParticipantCount,
)
from multitrack_engagements.entrypoints.api.deps import HorizonDep, UowDep
from multitrack_engagements.entrypoints.api.schemas.activities import (
    ActivityCreate,
    ActivityPublic,
    activities_shown,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(
    prefix="/engagements", tags=["activities and liaison"], responses=ERROR_RESPONSES
)


@router.post(
    "/{engagement_id}/activities",
    status_code=status.HTTP_201_CREATED,
    summary="Record an activity (refused once the engagement is closed; its coordinators)",
)
async def record_activity(
    engagement_id: RecordId,
    body: ActivityCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    horizon_days: HorizonDep,
) -> ActivityPublic:
    """Its day falls within the engagement's life: not before it began
    (`before_engagement`), and not beyond the planning horizon
    (`MULTITRACK_PLANNING_HORIZON_DAYS` after today, `beyond_horizon`). Its methods are
    methods of the consortium's catalogue, each once, none retired (`unknown_method`,
    `methods_not_distinct`). A training (kind
    `training`) records its curriculum, trainers and follow-up intervals
    (`training_details_required`); no other kind does (`not_a_training`)."""
    cmd = handlers.RecordActivity(
        engagement_id=engagement_id,
        kind=body.kind,
        held_on=body.held_on,
        place=body.place,
        tracks=tuple(body.tracks),
        peacebuilding_kind=body.peacebuilding_kind,
        rpp_quadrant=body.rpp_quadrant,
        methods=tuple(m.code for m in body.methods),
        facilitators=tuple(Facilitator(f.name, f.local) for f in body.facilitators),
        participants=tuple(
            ParticipantCount(sex=p.sex, role=p.role, track=p.track, count=p.count, side=p.side)
            for p in body.participants
        ),
        do_no_harm=DoNoHarm(
            body.do_no_harm.note,
            tuple(body.do_no_harm.dividers),
            tuple(body.do_no_harm.connectors),
        ),
        horizon_days=horizon_days,
        designed_locally=body.designed_locally,
        training=body.training.to_training() if body.training else None,
    )
    return ActivityPublic.of(await handlers.record_activity(cmd, caller, uow, clock))


@router.get("/{engagement_id}/activities", summary="The engagement's activities")
async def list_activities(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[ActivityPublic]:
    return activities_shown(await handlers.list_activities(engagement_id, caller, uow))
