"""Use cases on partnerships: form, end, read, search.

A partnership belongs to its engagement's owner (the engagements read model says who that is):
only that organization's coordinators form and end partnerships on it, and whoever may see the
engagement sees them. A partner or an engagement the caller may not see is refused as unknown,
exactly as one that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from multitrack_partners.application.ports import PartnershipFilter, PartnersUoW
from multitrack_partners.domain.partner import Partner
from multitrack_partners.domain.partnership import Partnership, PartnershipRole, Period
from multitrack_shared.auth.policy import (
    Owned,
    can_read,
    changeable,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.events import partners as events
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class FormPartnership:
    partner_id: str
    engagement_id: str
    role: PartnershipRole
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class EndPartnership:
    partnership_id: str
    ends_on: date
    precondition: Precondition = ANY_VERSION


async def form_partnership(
    cmd: FormPartnership, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Partnership:
    require_role(caller, Role.coordinator)
    async with uow:
        partner = _seen(await uow.partners.get(cmd.partner_id), caller)
        engagement = _seen(await uow.engagements.get(cmd.engagement_id), caller)
        if engagement is not None:  # 403 unless the caller's organization owns it
            changeable(
                engagement,
                caller,
                Role.coordinator,
                message=f"no engagement {cmd.engagement_id}",
                field="engagement_id",
            )
        partnership = Partnership.form(
            partnership_id=str(uuid.uuid4()),
            partner=partner,
            partner_id=cmd.partner_id,
            engagement=engagement,
            engagement_id=cmd.engagement_id,
            role=cmd.role,
            period=Period(cmd.starts_on, cmd.ends_on),
            held=await uow.partnerships.held(cmd.partner_id, cmd.engagement_id),
            now=clock(),
        )
        assert partner is not None, "forming checked the partner"
        await uow.partnerships.add(partnership)
        uow.publish(_formed(partnership, partner))
        await uow.commit()
    return partnership


async def end_partnership(
    cmd: EndPartnership, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Partnership:
    async with uow:
        partnership = changeable(
            await uow.partnerships.get(cmd.partnership_id),
            caller,
            Role.coordinator,
            message=_no_partnership(cmd.partnership_id),
            field="partnership_id",
        )
        cmd.precondition.check(partnership.id, partnership.version)
        partnership.end(cmd.ends_on, clock())
        await uow.partnerships.save(partnership)
        assert partnership.ended_at is not None, "ending dates it"
        uow.publish(
            events.PartnershipEnded(
                partnership_id=partnership.id,
                engagement_id=partnership.engagement_id,
                partner_id=partnership.partner_id,
                ends_on=cmd.ends_on,
                ended_at=partnership.ended_at,
            )
        )
        await uow.commit()
    return partnership


async def get_partnership(partnership_id: str, caller: Principal, uow: PartnersUoW) -> Partnership:
    async with uow:
        partnership = await uow.partnerships.get(partnership_id)
    return readable(partnership, caller, _no_partnership(partnership_id), field="partnership_id")


async def search_partnerships(
    where: PartnershipFilter, caller: Principal, uow: PartnersUoW
) -> list[Partnership]:
    async with uow:
        return await uow.partnerships.search(replace(where, scope=scope_of(caller)))


R = TypeVar("R", bound=Owned)


def _seen(record: R | None, caller: Principal) -> R | None:
    """``record`` if the caller may read it: a hidden record is as unknown as a missing one."""
    if record is None or not can_read(caller, record.owner_org, record.visibility):
        return None
    return record


def _no_partnership(partnership_id: str) -> str:
    return f"no partnership {partnership_id}"


def _formed(partnership: Partnership, partner: Partner) -> events.PartnershipFormed:
    profile = partner.profile
    return events.PartnershipFormed(
        partnership_id=partnership.id,
        engagement_id=partnership.engagement_id,
        partner_id=partnership.partner_id,
        role=partnership.role.value,
        starts_on=partnership.period.starts_on,
        ends_on=partnership.period.ends_on,
        partner_name=profile.name,
        partner_tracks=list(profile.tracks),
        partner_is_local=profile.is_local,
        partner_women_led=profile.women_led,
        formed_at=partnership.formed_at,
    )
