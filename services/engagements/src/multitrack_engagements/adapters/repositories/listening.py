"""Every SQL query on the listening ledger."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import HeardPartyRow
from multitrack_engagements.domain.listening import HeardParty
from multitrack_shared.times import utc


class SqlListeningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: HeardParty) -> None:
        self._session.add(HeardPartyRow(**{**asdict(entry), "needs": list(entry.needs)}))

    async def of_engagement(self, engagement_id: str) -> list[HeardParty]:
        query = (
            select(HeardPartyRow)
            .where(HeardPartyRow.engagement_id == engagement_id)
            .order_by(col(HeardPartyRow.heard_on), col(HeardPartyRow.recorded_at))
        )
        return [
            HeardParty(
                **{
                    **row.model_dump(),
                    "needs": tuple(row.needs),
                    "recorded_at": utc(row.recorded_at),
                }
            )
            for row in (await self._session.exec(query)).all()
        ]
