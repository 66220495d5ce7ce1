"""Every SQL query on the track-labels read model: the consortium's wording of each track."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import TrackLabelRow
from multitrack_engagements.application.ports import TrackLabel
from multitrack_shared.times import utc


class SqlTrackLabelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> TrackLabel | None:
        row = await self._session.get(TrackLabelRow, code)
        if row is None:
            return None
        return TrackLabel(**{**row.model_dump(), "changed_at": utc(row.changed_at)})

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
