"""Every SQL query on follow-ups, and on the evaluations read model closing looks in."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import EvaluationSeenRow, FollowUpRow
from multitrack_engagements.application.ports import EvaluationSeen
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_engagements.domain.training import TrainingLink
from multitrack_shared.times import utc


class SqlFollowUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, follow_up: FollowUp) -> None:
        link = follow_up.training
        fields = {k: v for k, v in asdict(follow_up).items() if k != "training"}
        self._session.add(
            FollowUpRow(
                **fields,
                training_id=link.training_id if link else None,
                months_after=link.months_after if link else None,
            )
        )

    async def of_engagement(self, engagement_id: str) -> list[FollowUp]:
        query = (
            select(FollowUpRow)
            .where(FollowUpRow.engagement_id == engagement_id)
            .order_by(col(FollowUpRow.held_on), col(FollowUpRow.recorded_at))
        )
        return [_follow_up(row) for row in (await self._session.exec(query)).all()]


def _follow_up(row: FollowUpRow) -> FollowUp:
    fields = row.model_dump(exclude={"training_id", "months_after"})
    link = (
        TrainingLink(row.training_id, row.months_after)
        if row.training_id is not None and row.months_after is not None
        else None
    )
    return FollowUp(**{**fields, "recorded_at": utc(row.recorded_at), "training": link})


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
