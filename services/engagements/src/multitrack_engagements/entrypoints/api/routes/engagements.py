"""The engagement itself: search, read, status; and the refused create call."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from multitrack_engagements.application import engagements as handlers
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.engagement import OpenedOnlyByInvitation, Status
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.engagements import (
    EngagementPublic,
    StatusChangeCreate,
)
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.versions import CONDITIONAL, TAGGED, IfMatch, tag
from multitrack_shared.validation import CountryCode

router = APIRouter(prefix="/engagements", tags=["engagements"], responses=ERROR_RESPONSES)


@router.post(
    "",
    summary="Refused: engagements open only from an accepted invitation",
    status_code=405,
    responses={405: ERROR_RESPONSES[422] | {"description": "Always: there is no create call."}},
)
async def refuse_create(
    _: Annotated[Any, Body(examples=[{"invitation_id": "an accepted invitation"}])] = None,
) -> None:
    """Standard procedure 1: no engagement exists without an accepted invitation. Accept one
    in the invitations service; the engagement opens from the event."""
    raise OpenedOnlyByInvitation()


@router.get("", summary="Search engagements")
async def search(
    uow: UowDep,
    clock: ClockDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    country: CountryCode | None = None,
    invitation_id: str | None = None,
    owner_org: str | None = None,
    quiet: Annotated[
        bool | None, Query(description="true: six months or more without activity.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EngagementPublic]:
    where = EngagementFilter(
        status=status_.value if status_ else None,
        country=country,
        invitation_id=invitation_id,
        owner_org=owner_org,
        quiet=quiet,
        limit=limit,
        offset=offset,
    )
    return [EngagementPublic.of(v) for v in await handlers.search_engagements(where, uow, clock)]


@router.get(
    "/{engagement_id}",
    summary="Read one engagement, with its commitment health",
    responses=TAGGED,
)
async def read(
    engagement_id: str, uow: UowDep, clock: ClockDep, response: Response
) -> EngagementPublic:
    return _tagged(response, await handlers.get_engagement(engagement_id, uow, clock))


@router.post(
    "/{engagement_id}/status", summary="Change the engagement's status", responses=CONDITIONAL
)
async def change_status(
    engagement_id: str,
    body: StatusChangeCreate,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> EngagementPublic:
    cmd = handlers.ChangeStatus(
        engagement_id=engagement_id,
        to=body.to,
        reason=body.reason,
        note=body.note,
        precondition=if_match,
    )
    return _tagged(response, await handlers.change_status(cmd, uow, clock))


def _tagged(response: Response, view: handlers.EngagementView) -> EngagementPublic:
    tag(response, view.engagement.id, view.engagement.version)
    return EngagementPublic.of(view)
