"""HTTP routes on the conflicts the engagements name (the engagements service owns the
conflicts; evaluation knows them only as its engagements name them)."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_evaluation.application import digests as handlers
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.trends import ConflictTrendsOut
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/conflicts", tags=["conflict trends"], responses=ERROR_RESPONSES)


@router.get(
    "/{conflict_id}/trends",
    summary="Empowerment, the blend of methods, skills use and attitudes on one conflict, "
    "quarter by quarter, over every engagement on it the caller may see",
)
async def trends(conflict_id: RecordId, caller: CallerDep, uow: UowDep) -> ConflictTrendsOut:
    return ConflictTrendsOut.of(await handlers.conflict_trends(conflict_id, caller, uow))
