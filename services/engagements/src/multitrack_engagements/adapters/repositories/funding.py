"""Every SQL query on funding sources and budget lines."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import BudgetLineRow, FundingSourceRow
from multitrack_engagements.domain.funding import (
    BudgetLine,
    BudgetStatus,
    FundingKind,
    FundingSource,
    Money,
    Period,
)
from multitrack_shared.times import utc


class SqlFundingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_source(self, source: FundingSource) -> None:
        self._session.add(
            FundingSourceRow(
                id=source.id,
                engagement_id=source.engagement_id,
                funder_id=source.funder_id,
                kind=source.kind.value,
                amount=source.money.amount,
                currency=source.money.currency,
                period_start=source.period.start,
                period_end=source.period.end,
                recorded_at=source.recorded_at,
            )
        )

    async def sources_of(self, engagement_id: str) -> list[FundingSource]:
        query = (
            select(FundingSourceRow)
            .where(FundingSourceRow.engagement_id == engagement_id)
            .order_by(col(FundingSourceRow.period_start), col(FundingSourceRow.recorded_at))
        )
        return [
            FundingSource(
                id=row.id,
                engagement_id=row.engagement_id,
                funder_id=row.funder_id,
                kind=FundingKind(row.kind),
                money=Money(row.amount, row.currency),
                period=Period(row.period_start, row.period_end),
                recorded_at=utc(row.recorded_at),
            )
            for row in (await self._session.exec(query)).all()
        ]

    async def add_budget_line(self, line: BudgetLine) -> None:
        self._session.add(
            BudgetLineRow(
                id=line.id,
                engagement_id=line.engagement_id,
                period_start=line.period.start,
                period_end=line.period.end,
                amount=line.money.amount,
                currency=line.money.currency,
                status=line.status.value,
                recorded_at=line.recorded_at,
            )
        )

    async def budget_of(self, engagement_id: str) -> list[BudgetLine]:
        query = (
            select(BudgetLineRow)
            .where(BudgetLineRow.engagement_id == engagement_id)
            .order_by(col(BudgetLineRow.period_start))
        )
        return [
            BudgetLine(
                id=row.id,
                engagement_id=row.engagement_id,
                period=Period(row.period_start, row.period_end),
                money=Money(row.amount, row.currency),
                status=BudgetStatus(row.status),
                recorded_at=utc(row.recorded_at),
            )
            for row in (await self._session.exec(query)).all()
        ]
