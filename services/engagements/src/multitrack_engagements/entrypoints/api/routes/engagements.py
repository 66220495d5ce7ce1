"""The engagement itself: search, read, status; and the refused create call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from multitrack_engagements.application import engagements as handlers
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.engagement import OpenedOnlyByInvitation, Status
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.engagements import (
    ConflictLinkIn,
    EngagementPublic,
    StatusChangeCreate,
    engagement_shown,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, IfMatch, tag
from multitrack_shared.validation import CountryCode, Name, RecordId

router = APIRouter(prefix="/engagements", tags=["engagements"], responses=ERROR_RESPONSES)


@router.post("", include_in_schema=False)
async def refuse_create(_caller: CallerDep) -> None:
    """Standard procedure 1: no engagement exists without an accepted invitation. There is no
    create call, so none is documented; one tried answers 405 (``Allow: GET``) saying why:
    accept the invitation in the invitations service, and the engagement opens from the event.
    Like every operation, it answers an anonymous caller 401 first."""
    raise OpenedOnlyByInvitation()


@router.get("", summary="Search the engagements the caller may read")
async def search(
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    country: CountryCode | None = None,
    invitation_id: RecordId | None = None,
    owner_org: Name | None = None,
    conflict_id: Annotated[
        RecordId | None, Query(description="Only the engagements on this shared conflict.")
    ] = None,
    quiet: Annotated[
        bool | None, Query(description="true: six months or more without activity.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[EngagementPublic]:
    where = EngagementFilter(
        status=status_.value if status_ else None,
        country=country,
        invitation_id=invitation_id,
        owner_org=owner_org,
        conflict_id=conflict_id,
        quiet=quiet,
        limit=limit,
        offset=offset,
    )
    found = await handlers.search_engagements(where, caller, uow, clock)
    return [engagement_shown(view) for view in found]


@router.get(
    "/{engagement_id}",
    summary="Read one engagement, with its commitment health",
    responses=TAGGED,
)
async def read(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> EngagementPublic:
    return tagged_engagement(
        response, await handlers.get_engagement(engagement_id, caller, uow, clock)
    )


@router.post(
    "/{engagement_id}/status",
    summary="Change the engagement's status (its coordinators)",
    responses=TAGGED,
)
async def change_status(
    engagement_id: RecordId,
    body: StatusChangeCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> EngagementPublic:
    """Move along listening → active ↔ paused → closing → closed. Closing before the
    commitment ends needs a reason (`reason_required`). Closed needs an exit plan
    (409 `exit_plan_required`) and a final evaluation completed since closing began, or the
    reason there is none (`final_evaluation_required`)."""
    cmd = handlers.ChangeStatus(
        engagement_id=engagement_id,
        to=body.to,
        reason=body.reason,
        note=body.note,
        precondition=if_match,
        no_final_evaluation_reason=body.no_final_evaluation_reason,
    )
    return tagged_engagement(response, await handlers.change_status(cmd, caller, uow, clock))


@router.put(
    "/{engagement_id}/conflict",
    summary="Link the engagement to the shared conflict it works on (its coordinators)",
    responses=TAGGED,
)
async def link_conflict(
    engagement_id: RecordId,
    body: ConflictLinkIn,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> EngagementPublic:
    """Link an engagement already open to a shared conflict, move it to another, or unlink it
    (`null`); not once it is closed (409 `engagement_closed`). The conflict's compass and
    trends count it from then on, and lessons naming the conflict reach it
    (`engagement.conflict_linked.v1`)."""
    cmd = handlers.LinkConflict(
        engagement_id=engagement_id, conflict_id=body.conflict_id, precondition=if_match
    )
    return tagged_engagement(response, await handlers.link_conflict(cmd, caller, uow, clock))


def tagged_engagement(response: Response, view: handlers.EngagementView) -> EngagementPublic:
    tag(response, view.engagement.id, view.engagement.version)
    return engagement_shown(view)
