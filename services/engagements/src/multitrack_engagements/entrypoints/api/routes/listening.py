"""The listening ledger: who was heard, and whether every side has been."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import listening as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.listening import (
    HeardCreate,
    HeardPublic,
    ListeningPublic,
    ledger_shown,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(
    prefix="/engagements", tags=["analysis and listening"], responses=ERROR_RESPONSES
)


@router.post(
    "/{engagement_id}/listening",
    status_code=status.HTTP_201_CREATED,
    summary="Record that a party was heard (the engagement's coordinators)",
)
async def record_heard(
    engagement_id: RecordId,
    body: HeardCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> HeardPublic:
    cmd = handlers.RecordHeard(
        engagement_id=engagement_id,
        who=body.who,
        side=body.side,
        track=body.track,
        needs=tuple(body.needs),
        heard_by=body.heard_by,
        heard_on=body.heard_on,
    )
    return HeardPublic.of(await handlers.record_heard(cmd, caller, uow, clock))


@router.get(
    "/{engagement_id}/listening",
    summary="The listening ledger, with completeness and imbalance",
)
async def read_listening(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> ListeningPublic:
    return ledger_shown(await handlers.listening_ledger(engagement_id, caller, uow))
