"""Every SQL query on the conflict analyses: one row per version, never edited."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import AnalysisRow
from multitrack_engagements.domain.analysis import Actor, ActorRole, ConflictAnalysis
from multitrack_shared.times import utc


class SqlAnalysisRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, analysis: ConflictAnalysis) -> None:
        self._session.add(
            AnalysisRow(
                engagement_id=analysis.engagement_id,
                version=analysis.version,
                analysed_on=analysis.analysed_on,
                participants=list(analysis.participants),
                actors=[{**asdict(a), "role": a.role.value} for a in analysis.actors],
                causes=list(analysis.causes),
                dividers=list(analysis.dividers),
                connectors=list(analysis.connectors),
                recorded_at=analysis.recorded_at,
            )
        )

    async def latest(self, engagement_id: str) -> ConflictAnalysis | None:
        query = (
            select(AnalysisRow)
            .where(AnalysisRow.engagement_id == engagement_id)
            .order_by(col(AnalysisRow.version).desc())
            .limit(1)
        )
        row = (await self._session.exec(query)).first()
        return to_analysis(row) if row else None

    async def get(self, engagement_id: str, version: int) -> ConflictAnalysis | None:
        row = await self._session.get(AnalysisRow, (engagement_id, version))
        return to_analysis(row) if row else None

    async def of_engagement(self, engagement_id: str) -> list[ConflictAnalysis]:
        query = (
            select(AnalysisRow)
            .where(AnalysisRow.engagement_id == engagement_id)
            .order_by(col(AnalysisRow.version))
        )
        return [to_analysis(row) for row in (await self._session.exec(query)).all()]


def to_analysis(row: AnalysisRow) -> ConflictAnalysis:
    return ConflictAnalysis(
        engagement_id=row.engagement_id,
        version=row.version,
        analysed_on=row.analysed_on,
        participants=tuple(row.participants),
        actors=tuple(to_actor(a) for a in row.actors),
        causes=tuple(row.causes),
        dividers=tuple(row.dividers),
        connectors=tuple(row.connectors),
        recorded_at=utc(row.recorded_at),
    )


def to_actor(data: dict[str, Any]) -> Actor:
    return Actor(data["name"], data["side"], data["track"], ActorRole(data["role"]))
