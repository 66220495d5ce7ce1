"""Every SQL query on the engagements table."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.repositories.ending import ending_json, ending_of
from multitrack_engagements.adapters.tables import EngagementRow
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.engagement import (
    ClosingReason,
    Engagement,
    MethodBlend,
    Status,
    StatusChange,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlEngagementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, engagement: Engagement) -> None:
        self._session.add(EngagementRow(id=engagement.id, **_row_fields(engagement)))

    async def get(self, engagement_id: str) -> Engagement | None:
        row = await self._session.get(EngagementRow, engagement_id)
        return to_engagement(row) if row else None

    async def save(self, engagement: Engagement) -> None:
        fields = _row_fields(engagement)
        await save_versioned(self._session, EngagementRow, engagement.id, engagement, fields)

    async def search(self, where: EngagementFilter) -> list[Engagement]:
        query = select(EngagementRow).where(
            visible_to(where.scope, col(EngagementRow.owner_org), col(EngagementRow.visibility))
        )
        if where.status:
            query = query.where(EngagementRow.status == where.status)
        if where.country:
            query = query.where(EngagementRow.country == where.country)
        if where.invitation_id:
            query = query.where(EngagementRow.invitation_id == where.invitation_id)
        if where.owner_org:
            query = query.where(EngagementRow.owner_org == where.owner_org)
        if where.conflict_id:
            query = query.where(EngagementRow.conflict_id == where.conflict_id)
        if where.quiet is not None and where.quiet_cutoff is not None:
            since = func.coalesce(
                col(EngagementRow.last_activity_on), col(EngagementRow.start_date)
            )
            query = query.where(
                since <= where.quiet_cutoff if where.quiet else since > where.quiet_cutoff
            )
        query = (
            query.order_by(col(EngagementRow.opened_at).desc(), col(EngagementRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [to_engagement(row) for row in (await self._session.exec(query)).all()]


def _row_fields(engagement: Engagement) -> dict[str, Any]:
    return {
        "invitation_id": engagement.invitation_id,
        "owner_org": engagement.owner_org,
        "visibility": engagement.visibility,
        "purpose": engagement.purpose,
        "status": engagement.status.value,
        "country": engagement.conflict.country,
        "conflict": asdict(engagement.conflict),
        "conflict_id": engagement.conflict.conflict_id,
        "inviter_track": engagement.inviter_track,
        "start_date": engagement.start_date,
        "committed_until": engagement.committed_until,
        "opened_at": engagement.opened_at,
        "closing_reason": engagement.closing_reason,
        "history": [_change_json(change) for change in engagement.history],
        "last_activity_on": engagement.last_activity_on,
        "local_methods": engagement.method_blend.local,
        "external_methods": engagement.method_blend.external,
        "ending": ending_json(engagement.ending),
    }


def to_engagement(row: EngagementRow) -> Engagement:
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
        opened_at=utc(row.opened_at),
        status=Status(row.status),
        closing_reason=ClosingReason(row.closing_reason) if row.closing_reason else None,
        history=[_change(data) for data in row.history],
        last_activity_on=row.last_activity_on,
        method_blend=MethodBlend(local=row.local_methods, external=row.external_methods),
        ending=ending_of(row.ending),
        version=row.version,
    )


def _change_json(change: StatusChange) -> dict[str, Any]:
    return {
        "from": change.from_status.value,
        "to": change.to_status.value,
        "reason": change.reason.value if change.reason else None,
        "note": change.note,
        "at": change.at.isoformat(),
    }


def _change(data: dict[str, Any]) -> StatusChange:
    return StatusChange(
        from_status=Status(data["from"]),
        to_status=Status(data["to"]),
        reason=ClosingReason(data["reason"]) if data["reason"] else None,
        note=data["note"],
        at=datetime.fromisoformat(data["at"]),
    )
