"""Every SQL query on the partnerships read model."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import PartnerTrackRow
from multitrack_engagements.domain.partnerships import Partnership


class SqlPartnershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, partnership_id: str) -> Partnership | None:
        row = await self._session.get(PartnerTrackRow, partnership_id)
        return to_partnership(row) if row else None

    async def save(self, partnership: Partnership) -> None:
        fields = {**asdict(partnership), "tracks": list(partnership.tracks)}
        row = await self._session.get(PartnerTrackRow, partnership.partnership_id)
        if row is None:
            self._session.add(PartnerTrackRow(**fields))
            return
        for name, value in fields.items():
            setattr(row, name, value)

    async def of_engagement(self, engagement_id: str) -> list[Partnership]:
        query = (
            select(PartnerTrackRow)
            .where(PartnerTrackRow.engagement_id == engagement_id)
            .order_by(col(PartnerTrackRow.starts_on), col(PartnerTrackRow.partnership_id))
        )
        return [to_partnership(row) for row in (await self._session.exec(query)).all()]


def to_partnership(row: PartnerTrackRow) -> Partnership:
    return Partnership(**{**row.model_dump(), "tracks": tuple(row.tracks)})
