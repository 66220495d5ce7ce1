"""HTTP routes: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from multitrack_engagements.application import handlers
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.model import Status
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas import EngagementPublic
from multitrack_shared.errors import DomainError
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import CountryCode

router = APIRouter(prefix="/engagements", tags=["engagements"], responses=ERROR_RESPONSES)


class OpenedOnlyByInvitation(DomainError):
    status_code = 405
    code = "engagement_opens_from_invitation_only"


@router.post(
    "",
    summary="Refused: engagements open only from an accepted invitation",
    status_code=405,
    responses={405: ERROR_RESPONSES[422] | {"description": "Always: there is no create call."}},
)
async def refuse_create(_: Annotated[Any, Body()] = None) -> None:
    """Standard procedure 1: no engagement exists without an accepted invitation. Accept one
    in the invitations service; the engagement opens from the event."""
    raise OpenedOnlyByInvitation(
        "engagements are opened only by an accepted invitation; "
        "accept the invitation in the invitations service",
        field="invitation_id",
    )


@router.get("", summary="Search engagements")
async def search(
    uow: UowDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    country: CountryCode | None = None,
    invitation_id: str | None = None,
    owner_org: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EngagementPublic]:
    where = EngagementFilter(
        status=status_.value if status_ else None,
        country=country,
        invitation_id=invitation_id,
        owner_org=owner_org,
        limit=limit,
        offset=offset,
    )
    return [EngagementPublic.of(e) for e in await handlers.search_engagements(where, uow)]


@router.get("/{engagement_id}", summary="Read one engagement")
async def read(engagement_id: str, uow: UowDep) -> EngagementPublic:
    return EngagementPublic.of(await handlers.get_engagement(engagement_id, uow))
