"""The engagement digests' read models: written from events, keyed by ids from the events."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.digest_reads import DigestReads
from multitrack_evaluation.adapters.read_models import (
    DigestActivityRow,
    DigestAnalysisRow,
    DigestEngagementRow,
    DigestHearingRow,
    DigestLiaisonRow,
    DigestPartnershipRow,
    DigestStatusChangeRow,
)
from multitrack_evaluation.domain import facts as f


class SqlDigestRepository(DigestReads):
    """Every write is an upsert, so an event applied again leaves the same rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put_engagement(self, header: f.EngagementHeader) -> None:
        row = await self._session.get(DigestEngagementRow, header.engagement_id)
        opening = asdict(header)
        for closing in ("closed_at", "closed_early", "close_reason"):
            del opening[closing]  # set by the closing event only, never reset by the opening
        if row is None:
            row = DigestEngagementRow(**opening)
        else:
            for name, value in opening.items():
                setattr(row, name, value)
        self._session.add(row)

    async def close_engagement(
        self, engagement_id: str, at: datetime, early: bool, reason: str | None
    ) -> None:
        row = await self._session.get(DigestEngagementRow, engagement_id)
        if row is None:
            return  # engagement events share one partition: the opening always comes first
        row.closed_at, row.closed_early, row.close_reason = at, early, reason
        self._session.add(row)

    async def put_status_change(self, engagement_id: str, change: f.StatusChange) -> None:
        await self._session.merge(
            DigestStatusChangeRow(engagement_id=engagement_id, **asdict(change))
        )

    async def put_analysis(self, engagement_id: str, analysis: f.Analysis) -> None:
        await self._session.merge(
            DigestAnalysisRow(engagement_id=engagement_id, **asdict(analysis))
        )

    async def put_hearing(self, engagement_id: str, hearing: f.Hearing) -> None:
        await self._session.merge(DigestHearingRow(engagement_id=engagement_id, **asdict(hearing)))

    async def put_activity(self, engagement_id: str, activity: f.Activity) -> None:
        await self._session.merge(
            DigestActivityRow(engagement_id=engagement_id, **asdict(activity))
        )

    async def put_liaison(self, engagement_id: str, liaison: f.Liaison) -> None:
        await self._session.merge(DigestLiaisonRow(engagement_id=engagement_id, **asdict(liaison)))

    async def put_partnership(self, engagement_id: str, partnership: f.Partnership) -> None:
        row = await self._session.get(DigestPartnershipRow, partnership.partnership_id)
        formed = asdict(partnership)
        for ending in ("ended_at",):
            del formed[ending]  # set by the ending event only
        if row is None:
            row = DigestPartnershipRow(engagement_id=engagement_id, **formed)
        else:
            for name, value in formed.items():
                setattr(row, name, value)
        self._session.add(row)

    async def end_partnership(self, partnership_id: str, ends_on: date, at: datetime) -> None:
        row = await self._session.get(DigestPartnershipRow, partnership_id)
        if row is None:
            return  # a partnership's events share one partition: its forming comes first
        row.ends_on, row.ended_at = ends_on, at
        self._session.add(row)
