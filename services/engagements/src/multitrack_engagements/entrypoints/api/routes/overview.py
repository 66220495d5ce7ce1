"""The engagement page in one read."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_engagements.application import overview as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.overview import OverviewPublic
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["engagements"], responses=ERROR_RESPONSES)


@router.get(
    "/{engagement_id}/overview",
    summary="The engagement with its coverage, activities, listening, analyses and lessons",
)
async def read_overview(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep, clock: ClockDep
) -> OverviewPublic:
    """What the engagement's page shows, in one answer and one transaction: each part as its
    own read answers the same caller (personal data and owner-only lessons withheld alike);
    404 for a missing or hidden engagement."""
    return OverviewPublic.of(await handlers.engagement_overview(engagement_id, caller, uow, clock))
