"""The track-one liaison log."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import liaison as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.liaison import LiaisonCreate, LiaisonPublic
from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(
    prefix="/engagements", tags=["activities and liaison"], responses=ERROR_RESPONSES
)


@router.post(
    "/{engagement_id}/liaison",
    status_code=status.HTTP_201_CREATED,
    summary="Record a briefing of or contact with track one (the engagement's coordinators)",
)
async def record_liaison(
    engagement_id: RecordId,
    body: LiaisonCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> LiaisonPublic:
    cmd = handlers.RecordLiaison(
        engagement_id=engagement_id,
        institution=body.institution,
        officials=tuple(body.officials),
        kind=body.kind,
        held_on=body.held_on,
        summary=body.summary,
    )
    return LiaisonPublic.of(await handlers.record_liaison(cmd, caller, uow, clock))


@router.get("/{engagement_id}/liaison", summary="The track-one liaison log")
async def list_liaison(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[LiaisonPublic]:
    shown = await handlers.list_liaison(engagement_id, caller, uow)
    return [
        withhold_personal(LiaisonPublic.of(e), may_see_personal=shown.personal)
        for e in shown.records
    ]
