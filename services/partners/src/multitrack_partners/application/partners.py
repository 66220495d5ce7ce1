"""Use cases on partner organizations: register, revise, read, search.

A partner belongs to the member organization whose coordinator registered it; only that
organization's coordinators revise it. Who reads it follows its visibility.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from multitrack_partners.application.ports import PartnerFilter, PartnersUoW
from multitrack_partners.domain.partner import ContactPerson, Partner, PartnerProfile
from multitrack_shared.auth.policy import (
    changeable,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.events import partners as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class RegisterPartner:
    visibility: str
    profile: PartnerProfile
    contact_people: list[ContactPerson]


CONTACTS_REVISED = "contact people revised"
"""The audited action of a revision that changed no public field, and so published nothing."""


@dataclass(frozen=True)
class RevisePartner:
    partner_id: str
    profile: PartnerProfile
    contact_people: list[ContactPerson]
    precondition: Precondition = ANY_VERSION


async def register_partner(
    cmd: RegisterPartner, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Partner:
    require_role(caller, Role.coordinator)
    partner = Partner(
        id=str(uuid.uuid4()),
        owner_org=owner_of_new_record(caller),
        visibility=cmd.visibility,
        profile=cmd.profile,
        registered_at=clock(),
        contact_people=list(cmd.contact_people),
    )
    async with uow:
        await uow.partners.add(partner)
        uow.publish(_registered(partner))
        await uow.commit()
    return partner


async def revise_partner(
    cmd: RevisePartner, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Partner:
    async with uow:
        partner = changeable(
            await uow.partners.get(cmd.partner_id),
            caller,
            Role.coordinator,
            message=_no_partner(cmd.partner_id),
            field="partner_id",
        )
        cmd.precondition.check(partner.id, partner.version)
        if partner.revise(cmd.profile, cmd.contact_people, clock()):
            uow.publish(_updated(partner))
        else:
            uow.record_change("partner", partner.id, CONTACTS_REVISED)
        await uow.partners.save(partner)
        await uow.commit()
    return partner


async def get_partner(partner_id: str, caller: Principal, uow: PartnersUoW) -> Partner:
    async with uow:
        partner = await uow.partners.get(partner_id)
    return readable(partner, caller, _no_partner(partner_id), field="partner_id")


async def search_partners(
    where: PartnerFilter, caller: Principal, uow: PartnersUoW
) -> list[Partner]:
    async with uow:
        return await uow.partners.search(replace(where, scope=scope_of(caller)))


def _no_partner(partner_id: str) -> str:
    """The same for a partner that does not exist and for one the caller may not see."""
    return f"no partner {partner_id}"


# Both events are built from the public profile, never from the whole record: contact
# people are personal data and must not reach partner systems through the event stream.


def _public_profile(partner: Partner) -> dict[str, Any]:
    """The profile as partner systems may see it: the contact people are left out."""
    p = partner.profile
    return {
        "partner_id": partner.id,
        "name": p.name,
        "kind": p.kind,
        "tracks": list(p.tracks),
        "countries": list(p.countries),
        "is_local": p.is_local,
        "women_led": p.women_led,
        "womens_rights_org": p.womens_rights_org,
        "iati_org_id": p.iati_org_id,
        "iati_org_type": p.iati_org_type.value if p.iati_org_type else None,
    }


def _registered(partner: Partner) -> events.PartnerRegistered:
    return events.PartnerRegistered(
        ownership=Ownership(owner_org=partner.owner_org, visibility=Visibility(partner.visibility)),
        registered_at=partner.registered_at,
        **_public_profile(partner),
    )


def _updated(partner: Partner) -> events.PartnerUpdated:
    assert partner.updated_at is not None, "a revised profile is dated"
    return events.PartnerUpdated(updated_at=partner.updated_at, **_public_profile(partner))
