"""Every SQL query on the partners and members read model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import MemberSeenRow, PartnerSeenRow
from multitrack_engagements.domain.organizations import MemberSeen, PartnerSeen


class SqlOrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def partner(self, partner_id: str) -> PartnerSeen | None:
        row = await self._session.get(PartnerSeenRow, partner_id)
        return PartnerSeen(**row.model_dump()) if row else None

    async def partners(self, partner_ids: Iterable[str]) -> dict[str, PartnerSeen]:
        wanted = set(partner_ids)
        if not wanted:
            return {}
        query = select(PartnerSeenRow).where(col(PartnerSeenRow.partner_id).in_(wanted))
        return {
            row.partner_id: PartnerSeen(**row.model_dump())
            for row in (await self._session.exec(query)).all()
        }

    async def put_partner(self, partner: PartnerSeen) -> None:
        await self._session.merge(PartnerSeenRow(**asdict(partner)))

    async def member_acting_as(self, organization: str) -> MemberSeen | None:
        query = (
            select(MemberSeenRow)
            .where(MemberSeenRow.organization == organization)
            .order_by(col(MemberSeenRow.member_id))
            .limit(1)
        )
        row = (await self._session.exec(query)).first()
        return MemberSeen(**row.model_dump()) if row else None

    async def put_member(self, member: MemberSeen) -> None:
        await self._session.merge(MemberSeenRow(**asdict(member)))
