"""Every SQL query on the track-one liaison log."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import LiaisonRow
from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_shared.times import utc


class SqlLiaisonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: LiaisonEntry) -> None:
        self._session.add(LiaisonRow(**{**asdict(entry), "officials": list(entry.officials)}))

    async def of_engagement(self, engagement_id: str) -> list[LiaisonEntry]:
        query = (
            select(LiaisonRow)
            .where(LiaisonRow.engagement_id == engagement_id)
            .order_by(col(LiaisonRow.held_on), col(LiaisonRow.recorded_at))
        )
        return [
            LiaisonEntry(
                **{
                    **row.model_dump(),
                    "officials": tuple(row.officials),
                    "recorded_at": utc(row.recorded_at),
                }
            )
            for row in (await self._session.exec(query)).all()
        ]
