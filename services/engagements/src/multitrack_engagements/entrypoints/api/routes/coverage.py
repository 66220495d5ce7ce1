"""Nine-track coverage."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_engagements.application import coverage as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.coverage import CoveragePublic
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["coverage and lessons"], responses=ERROR_RESPONSES)


@router.get("/{engagement_id}/coverage", summary="Nine-track coverage, with the gaps named")
async def read_coverage(engagement_id: RecordId, caller: CallerDep, uow: UowDep) -> CoveragePublic:
    return CoveragePublic.of(await handlers.coverage(engagement_id, caller, uow))
