"""The partner use cases on in-memory fakes: registering and revising publish the public
profile only, a private change publishes nothing, and an unknown partner is not found."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from multitrack_partners.application.partners import (
    RegisterPartner,
    RevisePartner,
    get_partner,
    register_partner,
    revise_partner,
    search_partners,
)
from multitrack_partners.application.ports import PartnerFilter
from multitrack_partners.domain.partner import ContactPerson
from multitrack_shared.errors import NotFound
from multitrack_shared.events import partners as events
from multitrack_shared.events.common import Ownership, Visibility

from ..fakes import FakePartnersUnitOfWork
from .samples import NOW, PROFILE, a_partner, clock, holding

pytestmark = pytest.mark.unit

PEOPLE = [ContactPerson("Luz Pérez", "luz@example.org")]


async def test_registering_keeps_the_partner_and_publishes_its_public_profile() -> None:
    uow = FakePartnersUnitOfWork()

    partner = await register_partner(RegisterPartner("imtd", "owner", PROFILE, PEOPLE), uow, clock)

    assert await uow.partners.get(partner.id) == partner
    assert partner.contact_people == PEOPLE
    assert uow.published == [
        events.PartnerRegistered(
            partner_id=partner.id,
            ownership=Ownership(owner_org="imtd", visibility=Visibility.owner),
            name="Red de Mujeres del Caribe",
            kind="women's organization",
            tracks=[4, 6],
            countries=["CO"],
            is_local=True,
            women_led=True,
            womens_rights_org=True,
            iati_org_id="CO-NIT-900123456",
            iati_org_type="22",
            registered_at=NOW,
        )
    ]


async def test_revising_the_public_profile_publishes_the_update() -> None:
    uow = await holding(a_partner())
    revised = replace(PROFILE, tracks=(4,), women_led=False, iati_org_type=None)

    partner = await revise_partner(RevisePartner("p-1", revised, PEOPLE), uow, clock)

    assert await uow.partners.get("p-1") == partner
    assert (partner.profile, partner.updated_at) == (revised, NOW)
    assert uow.published == [
        events.PartnerUpdated(
            partner_id="p-1",
            name="Red de Mujeres del Caribe",
            kind="women's organization",
            tracks=[4],
            countries=["CO"],
            is_local=True,
            women_led=False,
            womens_rights_org=True,
            iati_org_id="CO-NIT-900123456",
            iati_org_type=None,
            updated_at=NOW,
        )
    ]


async def test_changing_only_the_contact_people_is_kept_but_published_to_nobody() -> None:
    uow = await holding(a_partner())

    await revise_partner(RevisePartner("p-1", PROFILE, PEOPLE), uow, clock)

    kept = await uow.partners.get("p-1")
    assert kept is not None
    assert (kept.contact_people, kept.updated_at) == (PEOPLE, None)
    assert uow.commits == 1
    assert uow.published == []


async def test_revising_an_unknown_partner_is_not_found_and_changes_nothing() -> None:
    uow = await holding(a_partner())

    with pytest.raises(NotFound) as refused:
        await revise_partner(RevisePartner("p-2", PROFILE, PEOPLE), uow, clock)

    assert (refused.value.field, refused.value.message) == ("partner_id", "no partner p-2")
    assert uow.nothing_committed


async def test_a_partner_is_read_by_its_id_and_an_unknown_one_is_not_found() -> None:
    uow = await holding(a_partner())

    assert await get_partner("p-1", uow) == a_partner()
    with pytest.raises(NotFound):
        await get_partner("p-2", uow)
    assert uow.nothing_committed


async def test_the_search_filters_by_country_track_and_kind_newest_first() -> None:
    later = replace(a_partner("p-later"), registered_at=datetime(2026, 2, 1, tzinfo=NOW.tzinfo))
    uow = await holding(
        a_partner("p-1"),
        later,
        a_partner("p-kenya", countries=("KE",)),
        a_partner("p-external", is_local=False),
        a_partner("p-track-1", tracks=(1,)),
    )

    in_colombia = await search_partners(PartnerFilter(country="CO", track=4), uow)
    external = await search_partners(PartnerFilter(is_local=False), uow)
    second_page = await search_partners(PartnerFilter(country="CO", limit=1, offset=1), uow)

    assert [p.id for p in in_colombia] == ["p-later", "p-1", "p-external"]
    assert [p.id for p in external] == ["p-external"]
    assert [p.id for p in second_page] == ["p-1"]
