"""Every SQL query on follow-ups, and on the evaluations read model closing looks in."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import EvaluationSeenRow, FollowUpRow
from multitrack_engagements.application.ports import EvaluationSeen
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_shared.times import utc


class SqlFollowUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, follow_up: FollowUp) -> None:
        self._session.add(FollowUpRow(**asdict(follow_up)))

    async def of_engagement(self, engagement_id: str) -> list[FollowUp]:
        query = (
            select(FollowUpRow)
            .where(FollowUpRow.engagement_id == engagement_id)
            .order_by(col(FollowUpRow.held_on), col(FollowUpRow.recorded_at))
        )
        return [
            FollowUp(**{**row.model_dump(), "recorded_at": utc(row.recorded_at)})
            for row in (await self._session.exec(query)).all()
        ]


class SqlEvaluationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, evaluation: EvaluationSeen) -> None:
        """Insert, or overwrite what a redelivery says again."""
        await self._session.merge(EvaluationSeenRow(**asdict(evaluation)))

    async def latest_since(self, engagement_id: str, since: datetime) -> EvaluationSeen | None:
        query = (
            select(EvaluationSeenRow)
            .where(
                EvaluationSeenRow.engagement_id == engagement_id,
                col(EvaluationSeenRow.completed_at) >= since,
            )
            .order_by(col(EvaluationSeenRow.completed_at).desc())
            .limit(1)
        )
        row = (await self._session.exec(query)).first()
        if row is None:
            return None
        return EvaluationSeen(**{**row.model_dump(), "completed_at": utc(row.completed_at)})
