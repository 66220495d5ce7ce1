"""Ending well: extending the commitment, the exit plan, follow-ups."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_engagements.application import ending as handlers
from multitrack_engagements.domain.training import link_of
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.routes.engagements import tagged_engagement
from multitrack_engagements.entrypoints.api.schemas.ending import (
    ExitPlanCreate,
    ExtensionCreate,
    FollowUpCreate,
    FollowUpPublic,
)
from multitrack_engagements.entrypoints.api.schemas.engagements import EngagementPublic
from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.versions import TAGGED, IfMatch
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["ending well"], responses=ERROR_RESPONSES)


@router.post(
    "/{engagement_id}/extension",
    summary="Extend the commitment (its coordinators)",
    responses=TAGGED,
)
async def extend_commitment(
    engagement_id: RecordId,
    body: ExtensionCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> EngagementPublic:
    """Commit for longer, as long as participants desire it: to a later end only
    (`extension_not_later`), while the engagement is neither closing nor closed (409).
    Publishes `multitrack.engagement.commitment_extended.v1`."""
    cmd = handlers.ExtendCommitment(engagement_id, body.committed_until, if_match)
    return tagged_engagement(response, await handlers.extend_commitment(cmd, caller, uow, clock))


@router.put(
    "/{engagement_id}/exit-plan",
    summary="Record or revise the exit plan (its coordinators)",
    responses=TAGGED,
)
async def plan_exit(
    engagement_id: RecordId,
    body: ExitPlanCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> EngagementPublic:
    """How the engagement will end: what is handed over, when it plans to close (not before
    it began, `before_engagement`) and until when participants are followed up (the planned
    end or later, `follow_up_before_end`). Needed before it closes; refused once closed.
    Publishes `multitrack.engagement.exit_planned.v1`, without the handover's words."""
    cmd = handlers.PlanExit(
        engagement_id,
        body.handover,
        body.planned_end_on,
        body.follow_up_until,
        precondition=if_match,
    )
    return tagged_engagement(response, await handlers.plan_exit(cmd, caller, uow, clock))


@router.post(
    "/{engagement_id}/follow-ups",
    status_code=status.HTTP_201_CREATED,
    summary="Record a follow-up with former participants, after closure too (its coordinators)",
)
async def record_follow_up(
    engagement_id: RecordId,
    body: FollowUpCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> FollowUpPublic:
    """Standard procedure 10: do participants use the skills they gained? Possible in any
    status, closed included, and counted on the engagement (`ending.follow_ups`). Its day
    falls within the engagement's life and is not in the future (`before_engagement`,
    `beyond_horizon`); no more use the skills than were reached (`more_than_reached`).
    A follow-up of a training names it and one of its set intervals (`training_and_interval`,
    `unknown_training`, `not_a_set_interval`), comes after it (`before_training`) and reaches
    no more than it trained (`more_than_trained`). Publishes
    `multitrack.engagement.follow_up_recorded.v1`, counts only."""
    cmd = handlers.RecordFollowUp(
        engagement_id,
        body.held_on,
        body.participants_reached,
        body.using_skills,
        body.note,
        link_of(body.training_id, body.months_after),
    )
    return FollowUpPublic.of(await handlers.record_follow_up(cmd, caller, uow, clock))


@router.get("/{engagement_id}/follow-ups", summary="The engagement's follow-ups")
async def list_follow_ups(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[FollowUpPublic]:
    shown = await handlers.list_follow_ups(engagement_id, caller, uow)
    return [
        withhold_personal(FollowUpPublic.of(f), may_see_personal=shown.personal)
        for f in shown.records
    ]
