"""Use cases on an engagement's funding and budget (standard procedure 5).

Recording either saves the engagement with its version, so two coordinators planning budget
lines at once never both win with overlapping periods: one of them gets 409.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.lookup import changeable_engagement, readable_engagement
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.funding import (
    BudgetLine,
    BudgetStatus,
    FundingKind,
    FundingSource,
    Money,
    Period,
)
from multitrack_engagements.domain.organizations import PartnerSeen
from multitrack_shared.auth.policy import scope_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class RecordFunding:
    engagement_id: str
    funder_id: str
    kind: FundingKind
    amount: int
    currency: str
    period_start: date
    period_end: date


@dataclass(frozen=True)
class PlanBudget:
    engagement_id: str
    amount: int
    currency: str
    period_start: date
    period_end: date
    status: BudgetStatus = BudgetStatus.indicative


@dataclass(frozen=True)
class FundedSource:
    source: FundingSource
    funder: PartnerSeen | None
    """``None`` only while a rebuild of the partners read model has not reached it yet."""


@dataclass(frozen=True)
class FundingView:
    sources: list[FundedSource]
    budget: list[BudgetLine]


async def record_funding(
    cmd: RecordFunding, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> FundedSource:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("record funding")
        source = FundingSource(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            funder_id=cmd.funder_id,
            kind=cmd.kind,
            money=Money(cmd.amount, cmd.currency),
            period=Period(cmd.period_start, cmd.period_end),
            recorded_at=clock(),
        )
        funder = await _known_funder(uow, cmd.funder_id, caller)
        await uow.funding.add_source(source)
        await uow.engagements.save(engagement)
        uow.publish(
            events.FundingRecorded(
                engagement_id=engagement.id,
                funding_id=source.id,
                funder_id=source.funder_id,
                kind=source.kind.value,
                amount=source.money.amount,
                currency=source.money.currency,
                period_start=source.period.start,
                period_end=source.period.end,
                recorded_at=source.recorded_at,
            )
        )
        await uow.commit()
    return FundedSource(source, funder)


async def _known_funder(uow: EngagementsUoW, funder_id: str, caller: Principal) -> PartnerSeen:
    """A funder is a partner the caller may read, as the partners service published it."""
    funder = await uow.organizations.partner(funder_id)
    if funder is None or not scope_of(caller).admits(funder.owner_org, funder.visibility):
        raise DomainError(
            f"no partner {funder_id} is known: register the funder as a partner first",
            field="funder_id",
            code="unknown_funder",
        )
    return funder


async def plan_budget(
    cmd: PlanBudget, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> BudgetLine:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("plan a budget")
        line = BudgetLine(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            period=Period(cmd.period_start, cmd.period_end),
            money=Money(cmd.amount, cmd.currency),
            status=cmd.status,
            recorded_at=clock(),
        )
        line.require_apart_from(await uow.funding.budget_of(engagement.id))
        await uow.funding.add_budget_line(line)
        await uow.engagements.save(engagement)
        uow.publish(
            events.BudgetPlanned(
                engagement_id=engagement.id,
                budget_line_id=line.id,
                amount=line.money.amount,
                currency=line.money.currency,
                status=line.status.value,
                period_start=line.period.start,
                period_end=line.period.end,
                recorded_at=line.recorded_at,
            )
        )
        await uow.commit()
    return line


async def funding_of(engagement_id: str, caller: Principal, uow: EngagementsUoW) -> FundingView:
    """Funding is no one's personal data: whoever reads the engagement reads it."""
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        sources = await uow.funding.sources_of(engagement.id)
        funders = await uow.organizations.partners(s.funder_id for s in sources)
        budget = await uow.funding.budget_of(engagement.id)
    return FundingView([FundedSource(s, funders.get(s.funder_id)) for s in sources], budget)
