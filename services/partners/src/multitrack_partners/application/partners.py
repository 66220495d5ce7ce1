"""Use cases of the partners service; HTTP routes call these and nothing else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from multitrack_partners.application.ports import Clock, PartnerFilter, PartnersUoW
from multitrack_partners.domain.model import ContactPerson, IatiOrganisationType, Partner
from multitrack_shared.errors import NotFound
from multitrack_shared.events import partners as events
from multitrack_shared.events.common import Ownership, Visibility


@dataclass(frozen=True)
class RegisterPartner:
    owner_org: str
    visibility: str
    name: str
    kind: str
    tracks: list[int]
    countries: list[str]
    is_local: bool
    women_led: bool
    womens_rights_org: bool
    iati_org_id: str | None
    iati_org_type: IatiOrganisationType | None
    contact_people: list[ContactPerson]


async def register_partner(cmd: RegisterPartner, uow: PartnersUoW, clock: Clock) -> Partner:
    partner = Partner(
        id=str(uuid.uuid4()),
        owner_org=cmd.owner_org,
        visibility=cmd.visibility,
        name=cmd.name,
        kind=cmd.kind,
        tracks=list(cmd.tracks),
        countries=list(cmd.countries),
        is_local=cmd.is_local,
        women_led=cmd.women_led,
        womens_rights_org=cmd.womens_rights_org,
        registered_at=clock(),
        iati_org_id=cmd.iati_org_id,
        iati_org_type=cmd.iati_org_type,
        contact_people=list(cmd.contact_people),
    )
    async with uow:
        await uow.partners.add(partner)
        uow.publish(_registered(partner))
        await uow.commit()
    return partner


async def get_partner(partner_id: str, uow: PartnersUoW) -> Partner:
    async with uow:
        partner = await uow.partners.get(partner_id)
    if partner is None:
        raise NotFound(f"no partner {partner_id}", field="partner_id")
    return partner


async def search_partners(where: PartnerFilter, uow: PartnersUoW) -> list[Partner]:
    async with uow:
        return await uow.partners.search(where)


def _registered(partner: Partner) -> events.PartnerRegistered:
    # Built field by field, never from the whole record: contact people are personal data
    # and must not reach partner systems through the event stream.
    return events.PartnerRegistered(
        partner_id=partner.id,
        ownership=Ownership(owner_org=partner.owner_org, visibility=Visibility(partner.visibility)),
        name=partner.name,
        kind=partner.kind,
        tracks=partner.tracks,
        countries=partner.countries,
        is_local=partner.is_local,
        women_led=partner.women_led,
        womens_rights_org=partner.womens_rights_org,
        iati_org_id=partner.iati_org_id,
        registered_at=partner.registered_at,
    )
