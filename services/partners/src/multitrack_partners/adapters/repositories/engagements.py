"""Every SQL query on the engagements read model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from multitrack_partners.adapters.tables import EngagementRow
from multitrack_partners.application.ports import Coverage
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlEngagementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, engagement_id: str) -> KnownEngagement | None:
        row = await self._session.get(EngagementRow, engagement_id)
        return _to_domain(row) if row else None

    async def put(self, engagement: KnownEngagement) -> None:
        """Insert or replace, keyed by the engagement's id."""
        row = await self._session.get(EngagementRow, engagement.engagement_id)
        if row is None:
            row = EngagementRow(engagement_id=engagement.engagement_id, **_fields(engagement))
        else:
            for name, value in _fields(engagement).items():
                setattr(row, name, value)
        self._session.add(row)

    async def count(self, coverage: Coverage) -> int:
        query = select(func.count()).select_from(EngagementRow).where(*_covering(coverage))
        return int((await self._session.exec(query)).one())


def covered(coverage: Coverage) -> SelectOfScalar[str]:
    """The ids of the engagements ``coverage`` covers, for figures over their records."""
    return select(EngagementRow.engagement_id).where(*_covering(coverage))


def _covering(coverage: Coverage) -> list[ColumnElement[bool]]:
    conditions = [
        visible_to(coverage.scope, col(EngagementRow.owner_org), col(EngagementRow.visibility))
    ]
    if coverage.engagement_id is not None:
        conditions.append(col(EngagementRow.engagement_id) == coverage.engagement_id)
    if coverage.owner_org is not None:
        conditions.append(col(EngagementRow.owner_org) == coverage.owner_org)
    return conditions


def _fields(engagement: KnownEngagement) -> dict[str, Any]:
    return {
        "owner_org": engagement.owner_org,
        "visibility": engagement.visibility,
        "country": engagement.country,
        "region": engagement.region,
        "inviter_track": engagement.inviter_track,
        "opened_at": engagement.opened_at,
        "status": engagement.status,
        "status_changed_at": engagement.status_changed_at,
    }


def _to_domain(row: EngagementRow) -> KnownEngagement:
    return KnownEngagement(
        engagement_id=row.engagement_id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        country=row.country,
        region=row.region,
        inviter_track=row.inviter_track,
        opened_at=utc(row.opened_at),
        status=row.status,
        status_changed_at=utc(row.status_changed_at),
    )
