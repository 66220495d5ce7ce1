"""Every SQL query on consortium members."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import MemberRoleRow, MemberRow
from multitrack_partners.domain.member import Member, MemberIdentity
from multitrack_partners.domain.partner import IatiOrganisationType
from multitrack_shared.times import utc


class SqlMemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, member: Member) -> None:
        self._session.add(
            MemberRow(
                id=member.id,
                name=member.name,
                name_key=name_key(member.name),
                roles=list(member.roles),
                joined_on=member.joined_on,
                joined_at=member.joined_at,
                organization=member.identity.organization,
                iati_org_id=member.identity.iati_org_id,
                iati_org_type=member.identity.iati_org_type,
            )
        )
        await self._session.flush()  # the role rows point at the member row
        self._session.add_all([MemberRoleRow(member_id=member.id, role=r) for r in member.roles])

    async def get(self, member_id: str) -> Member | None:
        row = await self._session.get(MemberRow, member_id)
        return _to_domain(row) if row else None

    async def named(self, name: str) -> Member | None:
        query = select(MemberRow).where(MemberRow.name_key == name_key(name))
        row = (await self._session.exec(query)).first()
        return _to_domain(row) if row else None

    async def search(self, role: str | None, limit: int, offset: int) -> list[Member]:
        query = select(MemberRow)
        if role is not None:
            with_role = select(MemberRoleRow.member_id).where(MemberRoleRow.role == role)
            query = query.where(col(MemberRow.id).in_(with_role))
        query = query.order_by(col(MemberRow.name_key), col(MemberRow.id)).offset(offset)
        rows = (await self._session.exec(query.limit(limit))).all()
        return [_to_domain(row) for row in rows]


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _to_domain(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        name=row.name,
        roles=tuple(row.roles),
        joined_on=row.joined_on,
        joined_at=utc(row.joined_at),
        identity=MemberIdentity(
            organization=row.organization,
            iati_org_id=row.iati_org_id,
            iati_org_type=IatiOrganisationType(row.iati_org_type) if row.iati_org_type else None,
        ),
        version=row.version,
    )
