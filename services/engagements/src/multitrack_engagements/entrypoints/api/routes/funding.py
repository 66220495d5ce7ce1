"""Funding and budget of an engagement (standard procedure 5)."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import funding as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.funding import (
    BudgetLineCreate,
    BudgetLinePublic,
    FundingCreate,
    FundingPublic,
    FundingSourcePublic,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["funding"], responses=ERROR_RESPONSES)


@router.post(
    "/{engagement_id}/funding",
    status_code=status.HTTP_201_CREATED,
    summary="Record a source of funding (its coordinators)",
)
async def record_funding(
    engagement_id: RecordId, body: FundingCreate, caller: CallerDep, uow: UowDep, clock: ClockDep
) -> FundingSourcePublic:
    """Who funds, how much, for which period, of what kind. The funder is a partner the
    caller may read (`unknown_funder` otherwise); participants are never billed, so a
    participant fee is refused (`participants_never_billed`); a closed engagement takes no
    more (409). Publishes `multitrack.engagement.funding_recorded.v1`."""
    cmd = handlers.RecordFunding(
        engagement_id,
        body.funder_id,
        body.kind,
        body.amount,
        body.currency.value,
        body.period_start,
        body.period_end,
    )
    return FundingSourcePublic.of(await handlers.record_funding(cmd, caller, uow, clock))


@router.post(
    "/{engagement_id}/budget",
    status_code=status.HTTP_201_CREATED,
    summary="Plan a budget line of at most a year (its coordinators)",
)
async def plan_budget(
    engagement_id: RecordId,
    body: BudgetLineCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> BudgetLinePublic:
    """A period of at most one year, as IATI reports budgets (`budget_period_over_a_year`),
    overlapping no other line (409 `budget_periods_overlap`). Publishes
    `multitrack.engagement.budget_planned.v1`."""
    cmd = handlers.PlanBudget(
        engagement_id,
        body.amount,
        body.currency.value,
        body.period_start,
        body.period_end,
        body.status,
    )
    return BudgetLinePublic.of(await handlers.plan_budget(cmd, caller, uow, clock))


@router.get("/{engagement_id}/funding", summary="The engagement's funding sources and budget")
async def read_funding(engagement_id: RecordId, caller: CallerDep, uow: UowDep) -> FundingPublic:
    return FundingPublic.of(await handlers.funding_of(engagement_id, caller, uow))
