"""HTTP routes on the engagement digests (built from events, read only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from multitrack_evaluation.application import digests as handlers
from multitrack_evaluation.application.ports import EngagementFilter
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.digests import (
    DigestPublic,
    EngagementHeaderOut,
    OverdueOut,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.validation import CountryCode, RecordId

router = APIRouter(prefix="/engagements", tags=["engagement digests"], responses=ERROR_RESPONSES)


@router.get("", summary="List the engagements known to evaluation, most recently opened first")
async def list_engagements(
    caller: CallerDep,
    uow: UowDep,
    country: Annotated[CountryCode | None, Query(description="Only this country's.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[EngagementHeaderOut]:
    where = EngagementFilter(country=country, limit=limit, offset=offset)
    found = await handlers.list_engagements(where, caller, uow)
    return [EngagementHeaderOut.of(header, status) for header, status in found]


@router.get(
    "/overdue", summary="Open engagements with no evaluation completed in the last twelve months"
)
async def overdue(caller: CallerDep, uow: UowDep, clock: ClockDep) -> list[OverdueOut]:
    return [OverdueOut.of(o) for o in await handlers.overdue_engagements(caller, uow, clock)]


@router.get("/{engagement_id}/digest", summary="The digest of one engagement")
async def digest(engagement_id: RecordId, caller: CallerDep, uow: UowDep) -> DigestPublic:
    return DigestPublic.of(await handlers.get_digest(engagement_id, caller, uow), caller)
