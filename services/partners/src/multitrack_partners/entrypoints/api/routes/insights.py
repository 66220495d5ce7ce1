"""HTTP routes of suggested partners and inclusion figures: read-only, over the read models."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from multitrack_partners.application import insights as handlers
from multitrack_partners.entrypoints.api.deps import ReaderDep, UowDep
from multitrack_partners.entrypoints.api.schemas.insights import (
    ConsortiumInclusionPublic,
    EngagementInclusionPublic,
    SuggestionPublic,
)
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit
from multitrack_shared.validation import Name, RecordId

router = APIRouter(responses=ERROR_RESPONSES)


@router.get(
    "/engagements/{engagement_id}/suggested-partners",
    tags=["engagements"],
    summary="Partners to suggest for an engagement, each with the reasons",
    description="Partners working in the engagement's country and not already in a running or "
    "coming partnership on it, among those both the caller and the engagement's owner may see; "
    "local first, then most tracks shared, then women-led, then by name. 404 if the engagement "
    "is not known from the engagements service's events, or the caller may not see it.",
)
async def suggested_partners(
    engagement_id: RecordId,
    caller: ReaderDep,
    uow: UowDep,
    clock: ClockDep,
    limit: Limit = 20,
) -> list[SuggestionPublic]:
    suggested = await handlers.suggest_partners(engagement_id, caller, uow, clock)
    return [SuggestionPublic.of(s) for s in suggested[:limit]]


@router.get(
    "/engagements/{engagement_id}/inclusion",
    tags=["engagements", "inclusion"],
    summary="Inclusion figures of one engagement",
    description="Partners (local, women-led, women's-rights organizations), participants "
    "(women, by role) and activities led locally (standard 11), with shares. 404 if the "
    "engagement is not known, or the caller may not see it; partners the caller may not see "
    "are not counted.",
)
async def engagement_inclusion(
    engagement_id: RecordId, caller: ReaderDep, uow: UowDep
) -> EngagementInclusionPublic:
    inclusion = await handlers.engagement_inclusion(engagement_id, caller, uow)
    return EngagementInclusionPublic.of(engagement_id, inclusion)


@router.get(
    "/inclusion",
    tags=["inclusion"],
    summary="Inclusion figures of the consortium, or of one member's engagements",
    description="Counts only what the caller may see: the consortium-visible engagements and "
    "its own organization's, their activities and participants, and the partners it may see "
    "that held a partnership on them.",
)
async def consortium_inclusion(
    caller: ReaderDep,
    uow: UowDep,
    owner_org: Annotated[
        Name | None, Query(description="Only this member's engagements.", examples=["imtd"])
    ] = None,
) -> ConsortiumInclusionPublic:
    inclusion = await handlers.consortium_inclusion(owner_org, caller, uow)
    return ConsortiumInclusionPublic.of(owner_org, inclusion)
