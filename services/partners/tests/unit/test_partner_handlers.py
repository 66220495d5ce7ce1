"""The partner use cases on in-memory fakes: registering and revising publish the public
profile only, a private change publishes nothing but is audited, and an unknown partner is not
found. Coordinators register partners for their own organization and revise only its partners;
another organization's owner-only partner is as unknown as a missing one."""

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
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.events import partners as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.testing.fakes import RecordedChange
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakePartnersUnitOfWork
from .samples import (
    COORDINATOR,
    NOW,
    OTHER_COORDINATOR,
    PROFILE,
    TOO_WEAK,
    a_partner,
    clock,
    holding,
)

pytestmark = pytest.mark.unit

PEOPLE = [ContactPerson("Luz Pérez", "luz@example.org")]


async def test_registering_keeps_the_partner_and_publishes_its_public_profile() -> None:
    uow = FakePartnersUnitOfWork()

    cmd = RegisterPartner("owner", PROFILE, PEOPLE)

    partner = await register_partner(cmd, COORDINATOR, uow, clock)

    assert await uow.partners.get(partner.id) == partner
    assert (partner.owner_org, partner.contact_people) == ("imtd", PEOPLE)
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

    partner = await revise_partner(RevisePartner("p-1", revised, PEOPLE), COORDINATOR, uow, clock)

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


async def test_changing_only_the_contact_people_is_kept_and_audited_but_published_to_nobody() -> (
    None
):
    uow = await holding(a_partner())

    await revise_partner(RevisePartner("p-1", PROFILE, PEOPLE), COORDINATOR, uow, clock)

    kept = await uow.partners.get("p-1")
    assert kept is not None
    assert (kept.contact_people, kept.updated_at) == (PEOPLE, None)
    assert uow.commits == 1
    assert uow.published == []
    assert uow.recorded == [RecordedChange("partner", "p-1", "contact people revised")]


async def test_revising_an_unknown_partner_is_not_found_and_changes_nothing() -> None:
    uow = await holding(a_partner())

    with pytest.raises(NotFound) as refused:
        await revise_partner(RevisePartner("p-2", PROFILE, PEOPLE), COORDINATOR, uow, clock)

    assert (refused.value.field, refused.value.message) == ("partner_id", "no partner p-2")
    assert uow.nothing_committed


async def test_a_partner_is_read_by_its_id_and_an_unknown_one_is_not_found() -> None:
    uow = await holding(a_partner())

    assert await get_partner("p-1", COORDINATOR, uow) == a_partner()
    with pytest.raises(NotFound):
        await get_partner("p-2", COORDINATOR, uow)
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

    in_colombia = await search_partners(PartnerFilter(country="CO", track=4), COORDINATOR, uow)
    external = await search_partners(PartnerFilter(is_local=False), COORDINATOR, uow)
    second_page = await search_partners(
        PartnerFilter(country="CO", limit=1, offset=1), COORDINATOR, uow
    )

    assert [p.id for p in in_colombia] == ["p-later", "p-1", "p-external"]
    assert [p.id for p in external] == ["p-external"]
    assert [p.id for p in second_page] == ["p-1"]


@pytest.mark.parametrize("caller", [*TOO_WEAK, acting_for(None, Role.coordinator)])
async def test_only_a_coordinator_acting_for_one_organization_registers_a_partner(
    caller: Principal,
) -> None:
    uow = FakePartnersUnitOfWork()

    with pytest.raises(Forbidden) as refused:
        await register_partner(RegisterPartner("owner", PROFILE, PEOPLE), caller, uow, clock)

    expected = "role_required" if caller in TOO_WEAK else "no_organization"
    assert refused.value.code == expected
    assert uow.nothing_committed
    assert len(uow.partners.partners) == 0


@pytest.mark.parametrize("caller", TOO_WEAK)
async def test_a_role_weaker_than_coordinator_revises_nothing(caller: Principal) -> None:
    uow = await holding(a_partner())

    with pytest.raises(Forbidden) as refused:
        await revise_partner(RevisePartner("p-1", PROFILE, PEOPLE), caller, uow, clock)

    # a consortium admin owns nothing; the owner's other roles are too weak
    assert refused.value.code == ("not_owner" if caller.organization is None else "role_required")
    assert uow.nothing_committed
    assert await uow.partners.get("p-1") == a_partner()


async def test_another_organization_may_not_revise_a_partner_it_sees_nor_find_one_it_does_not() -> (
    None
):
    uow = await holding(a_partner("p-shared"), a_partner("p-private", visibility="owner"))
    revised = replace(PROFILE, name="Taken over")

    with pytest.raises(Forbidden) as forbidden:
        await revise_partner(RevisePartner("p-shared", revised, []), OTHER_COORDINATOR, uow, clock)
    with pytest.raises(NotFound) as hidden:
        await revise_partner(RevisePartner("p-private", revised, []), OTHER_COORDINATOR, uow, clock)
    with pytest.raises(NotFound) as missing:
        await revise_partner(RevisePartner("p-none", revised, []), OTHER_COORDINATOR, uow, clock)

    assert forbidden.value.code == "not_owner"
    assert (hidden.value.message, hidden.value.field) == ("no partner p-private", "partner_id")
    assert (missing.value.message, missing.value.field) == ("no partner p-none", "partner_id")
    assert uow.nothing_committed


async def test_another_organizations_owner_only_partner_is_neither_read_nor_found() -> None:
    uow = await holding(
        a_partner("p-shared"),
        a_partner("p-private", visibility="owner"),
        a_partner("p-cdr-private", owner_org="cdr", visibility="owner"),
    )

    with pytest.raises(NotFound):
        await get_partner("p-private", OTHER_COORDINATOR, uow)
    mine = await search_partners(PartnerFilter(), COORDINATOR, uow)
    theirs = await search_partners(PartnerFilter(), OTHER_COORDINATOR, uow)
    admins = await search_partners(PartnerFilter(), acting_for(None, Role.consortium_admin), uow)

    assert (await get_partner("p-private", COORDINATOR, uow)).id == "p-private"
    assert {p.id for p in mine} == {"p-shared", "p-private"}
    assert {p.id for p in theirs} == {"p-shared", "p-cdr-private"}
    assert {p.id for p in admins} == {"p-shared"}
