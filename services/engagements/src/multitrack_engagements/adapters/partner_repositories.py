"""Every SQL query on the partnerships and track-label read models."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.engagement_repository import aware
from multitrack_engagements.adapters.tables import PartnerTrackRow, TrackLabelRow
from multitrack_engagements.application.ports import TrackLabel
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


def to_partnership(row: PartnerTrackRow) -> Partnership:
    return Partnership(**{**row.model_dump(), "tracks": tuple(row.tracks)})


class SqlTrackLabelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> TrackLabel | None:
        row = await self._session.get(TrackLabelRow, code)
        if row is None:
            return None
        return TrackLabel(**{**row.model_dump(), "changed_at": aware(row.changed_at)})

    async def save(self, label: TrackLabel) -> None:
        row = await self._session.get(TrackLabelRow, label.code)
        if row is None:
            self._session.add(TrackLabelRow(**asdict(label)))
            return
        for name, value in asdict(label).items():
            setattr(row, name, value)

    async def active_labels(self) -> dict[str, str]:
        query = select(TrackLabelRow.code, TrackLabelRow.label).where(col(TrackLabelRow.active))
        return dict((await self._session.exec(query)).all())
