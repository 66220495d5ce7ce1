"""Bodies of an engagement's funding and budget. Nothing here is personal: organizations,
sums, currencies and dates."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.application.funding import FundedSource, FundingView
from multitrack_engagements.domain.funding import BudgetLine, BudgetStatus, FundingKind
from multitrack_shared.validation import Amount, CurrencyCode, Day, RecordId, Strict


class FundingCreate(Strict):
    funder_id: RecordId = Field(
        description="The partner organization that funds, as registered in partners (its id); "
        "one the caller may read.",
        examples=["6a1f0c52-3f7e-4d8e-9a61-0d2c8b7e5a90"],
    )
    kind: FundingKind = Field(
        description="grant, core_funding, in_kind or own_funds. participant_fee is refused "
        "(`participants_never_billed`): participants are never billed.",
        examples=["grant"],
    )
    amount: Amount = Field(examples=[250000])
    currency: CurrencyCode = Field(description="ISO 4217 currency code.")
    period_start: Day = Field(description="First day the funding covers.", examples=["2026-01-01"])
    period_end: Day = Field(
        description="Last day the funding covers; not before its first.", examples=["2028-12-31"]
    )


class BudgetLineCreate(Strict):
    amount: Amount = Field(examples=[80000])
    currency: CurrencyCode = Field(description="ISO 4217 currency code.")
    period_start: Day = Field(description="First day of the period.", examples=["2026-01-01"])
    period_end: Day = Field(
        description="Last day of the period: at most a year after its first "
        "(`budget_period_over_a_year`), overlapping no other line (`budget_periods_overlap`).",
        examples=["2026-12-31"],
    )
    status: BudgetStatus = Field(
        default=BudgetStatus.indicative,
        description="indicative (the default) or committed.",
        examples=["committed"],
    )


class FunderOut(BaseModel):
    id: str
    name: str | None = Field(description="Null until the partner's registration is known.")
    iati_org_id: str | None


class FundingSourcePublic(BaseModel):
    id: str
    engagement_id: str
    funder: FunderOut
    kind: FundingKind
    amount: int
    currency: str
    period_start: date
    period_end: date
    recorded_at: datetime

    @classmethod
    def of(cls, funded: FundedSource) -> FundingSourcePublic:
        source, funder = funded.source, funded.funder
        return cls(
            id=source.id,
            engagement_id=source.engagement_id,
            funder=FunderOut(
                id=source.funder_id,
                name=funder.name if funder else None,
                iati_org_id=funder.iati_org_id if funder else None,
            ),
            kind=source.kind,
            amount=source.money.amount,
            currency=source.money.currency,
            period_start=source.period.start,
            period_end=source.period.end,
            recorded_at=source.recorded_at,
        )


class BudgetLinePublic(BaseModel):
    id: str
    engagement_id: str
    amount: int
    currency: str
    status: BudgetStatus
    period_start: date
    period_end: date
    recorded_at: datetime

    @classmethod
    def of(cls, line: BudgetLine) -> BudgetLinePublic:
        return cls(
            id=line.id,
            engagement_id=line.engagement_id,
            amount=line.money.amount,
            currency=line.money.currency,
            status=line.status,
            period_start=line.period.start,
            period_end=line.period.end,
            recorded_at=line.recorded_at,
        )


class FundingPublic(BaseModel):
    sources: list[FundingSourcePublic] = Field(description="By first day covered.")
    budget: list[BudgetLinePublic] = Field(description="The budget lines, by period.")

    @classmethod
    def of(cls, view: FundingView) -> FundingPublic:
        return cls(
            sources=[FundingSourcePublic.of(s) for s in view.sources],
            budget=[BudgetLinePublic.of(b) for b in view.budget],
        )
