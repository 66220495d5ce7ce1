"""Use cases on consortium members: join, read, list.

Membership is the consortium's, not one organization's: only consortium admins change it, and
every caller reads it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.domain.member import Member, MemberIdentity
from multitrack_shared.auth.policy import require_role
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import found
from multitrack_shared.events import partners as events
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class JoinConsortium:
    name: str
    roles: tuple[str, ...]
    joined_on: date | None
    identity: MemberIdentity = field(default_factory=MemberIdentity)


async def join_consortium(
    cmd: JoinConsortium, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Member:
    require_role(caller, Role.consortium_admin)
    async with uow:
        member = Member.join(
            member_id=str(uuid.uuid4()),
            name=cmd.name,
            roles=cmd.roles,
            joined_on=cmd.joined_on,
            now=clock(),
            namesake=await uow.members.named(cmd.name),
            identity=cmd.identity,
        )
        await uow.members.add(member)
        uow.publish(
            events.MemberJoined(
                member_id=member.id,
                name=member.name,
                roles=list(member.roles),
                joined_at=member.joined_at,
                organization=member.identity.organization,
                iati_org_id=member.identity.iati_org_id,
                iati_org_type=(
                    member.identity.iati_org_type.value if member.identity.iati_org_type else None
                ),
            )
        )
        await uow.commit()
    return member


async def get_member(member_id: str, uow: PartnersUoW) -> Member:
    async with uow:
        member = await uow.members.get(member_id)
    return found(member, f"no member {member_id}", field="member_id")


async def list_members(role: str | None, limit: int, offset: int, uow: PartnersUoW) -> list[Member]:
    async with uow:
        return await uow.members.search(role, limit, offset)
