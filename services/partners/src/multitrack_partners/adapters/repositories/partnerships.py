"""Every SQL query on partnerships.

A partnership is seen by whoever may see its engagement: each read takes the visibility from
the engagements read model (owner-only while the engagement is not known there, as during a
rebuild), and lists filter on it, with the owner the partnership carries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from multitrack_partners.adapters.repositories.engagements import covered
from multitrack_partners.adapters.tables import EngagementRow, PartnershipRow
from multitrack_partners.application.ports import Coverage, PartnershipFilter
from multitrack_partners.domain.partnership import Partnership, PartnershipRole, Period
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.common import Visibility
from multitrack_shared.times import utc

_VISIBILITY: ColumnElement[str] = func.coalesce(
    col(EngagementRow.visibility), Visibility.owner.value
).label("visibility")
"""The visibility of a partnership: its engagement's."""


class SqlPartnershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, partnership: Partnership) -> None:
        self._session.add(PartnershipRow(id=partnership.id, **_fields(partnership)))

    async def save(self, partnership: Partnership) -> None:
        fields = _fields(partnership)
        await save_versioned(self._session, PartnershipRow, partnership.id, partnership, fields)

    async def get(self, partnership_id: str) -> Partnership | None:
        query = _with_visibility().where(col(PartnershipRow.id) == partnership_id)
        row = (await self._session.exec(query)).first()
        return _to_domain(row) if row else None

    async def held(self, partner_id: str, engagement_id: str) -> list[Partnership]:
        query = _with_visibility().where(
            PartnershipRow.partner_id == partner_id,
            PartnershipRow.engagement_id == engagement_id,
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def search(self, where: PartnershipFilter) -> list[Partnership]:
        query = _with_visibility().where(
            visible_to(where.scope, col(PartnershipRow.owner_org), _VISIBILITY)
        )
        if where.engagement_id is not None:
            query = query.where(PartnershipRow.engagement_id == where.engagement_id)
        if where.partner_id is not None:
            query = query.where(PartnershipRow.partner_id == where.partner_id)
        query = (
            query.order_by(col(PartnershipRow.starts_on), col(PartnershipRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def partners_not_over(self, engagement_id: str, day: date) -> set[str]:
        """Partners with a partnership on the engagement still running on ``day`` or to come."""
        query = select(PartnershipRow.partner_id).where(
            PartnershipRow.engagement_id == engagement_id,
            or_(col(PartnershipRow.ends_on).is_(None), col(PartnershipRow.ends_on) >= day),
        )
        return set((await self._session.exec(query)).all())

    async def partners_within(self, coverage: Coverage) -> set[str]:
        """Partners that have held any partnership, ended or not, on the covered engagements."""
        query = (
            select(PartnershipRow.partner_id)
            .distinct()
            .where(col(PartnershipRow.engagement_id).in_(covered(coverage)))
        )
        return set((await self._session.exec(query)).all())


def _with_visibility() -> Select[PartnershipRow, str]:
    """Partnership rows, each with its engagement's visibility."""
    return select(PartnershipRow, _VISIBILITY).outerjoin(
        EngagementRow, col(EngagementRow.engagement_id) == col(PartnershipRow.engagement_id)
    )


def _fields(partnership: Partnership) -> dict[str, Any]:
    return {
        "partner_id": partnership.partner_id,
        "engagement_id": partnership.engagement_id,
        "owner_org": partnership.owner_org,
        "role": partnership.role.value,
        "starts_on": partnership.period.starts_on,
        "ends_on": partnership.period.ends_on,
        "formed_at": partnership.formed_at,
        "ended_at": partnership.ended_at,
    }


def _to_domain(found: tuple[PartnershipRow, str]) -> Partnership:
    row, visibility = found
    return Partnership(
        id=row.id,
        partner_id=row.partner_id,
        engagement_id=row.engagement_id,
        owner_org=row.owner_org,
        role=PartnershipRole(row.role),
        period=Period(row.starts_on, row.ends_on),
        formed_at=utc(row.formed_at),
        ended_at=utc(row.ended_at),
        visibility=visibility,
        version=row.version,
    )
