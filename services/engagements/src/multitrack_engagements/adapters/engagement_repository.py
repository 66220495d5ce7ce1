"""Every SQL query of the engagements service."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import EngagementRow
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.model import ConflictDescription, Engagement, Status


class SqlEngagementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, engagement: Engagement) -> None:
        self._session.add(EngagementRow(id=engagement.id, **_row_fields(engagement)))

    async def get(self, engagement_id: str) -> Engagement | None:
        row = await self._session.get(EngagementRow, engagement_id)
        return _to_domain(row) if row else None

    async def search(self, where: EngagementFilter) -> list[Engagement]:
        query = select(EngagementRow)
        if where.status:
            query = query.where(EngagementRow.status == where.status)
        if where.country:
            query = query.where(EngagementRow.country == where.country)
        if where.invitation_id:
            query = query.where(EngagementRow.invitation_id == where.invitation_id)
        if where.owner_org:
            query = query.where(EngagementRow.owner_org == where.owner_org)
        query = (
            query.order_by(col(EngagementRow.opened_at).desc(), col(EngagementRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _row_fields(engagement: Engagement) -> dict[str, Any]:
    return {
        "invitation_id": engagement.invitation_id,
        "owner_org": engagement.owner_org,
        "visibility": engagement.visibility,
        "purpose": engagement.purpose,
        "status": engagement.status.value,
        "country": engagement.conflict.country,
        "conflict": asdict(engagement.conflict),
        "inviter_track": engagement.inviter_track,
        "start_date": engagement.start_date,
        "committed_until": engagement.committed_until,
        "opened_at": engagement.opened_at,
    }


def _to_domain(row: EngagementRow) -> Engagement:
    return Engagement(
        id=row.id,
        invitation_id=row.invitation_id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        purpose=row.purpose,
        conflict=ConflictDescription(**row.conflict),
        inviter_track=row.inviter_track,
        start_date=row.start_date,
        committed_until=row.committed_until,
        opened_at=_aware(row.opened_at),
        status=Status(row.status),
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
