"""Partners, engagements and partnerships as the partners unit tests find them held."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.partner import (
    ContactPerson,
    IatiOrganisationType,
    Partner,
    PartnerProfile,
)
from multitrack_partners.domain.partnership import Partnership, PartnershipRole, Period

from ..fakes import FakePartnersUnitOfWork

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
REGISTERED_AT = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
PROFILE = PartnerProfile(
    name="Red de Mujeres del Caribe",
    kind="women's organization",
    tracks=(4, 6),
    countries=("CO",),
    is_local=True,
    women_led=True,
    womens_rights_org=True,
    iati_org_id="CO-NIT-900123456",
    iati_org_type=IatiOrganisationType.national_ngo,
)


def clock() -> datetime:
    return NOW


def a_partner(partner_id: str = "p-1", **profile: Any) -> Partner:
    return Partner(
        id=partner_id,
        owner_org="imtd",
        visibility="consortium",
        profile=replace(PROFILE, **profile),
        registered_at=REGISTERED_AT,
        contact_people=[ContactPerson("Ana María Torres", "ana@example.org", "coordinator")],
    )


def an_engagement(engagement_id: str = "eng-1", owner_org: str = "imtd") -> KnownEngagement:
    return KnownEngagement(engagement_id, owner_org, "CO", "Caribbean region", 4, REGISTERED_AT)


def a_partnership(
    partnership_id: str = "ps-1",
    partner_id: str = "p-1",
    engagement_id: str = "eng-1",
    role: PartnershipRole = PartnershipRole.co_facilitator,
    period: Period = Period(date(2026, 2, 1)),
    owner_org: str = "imtd",
) -> Partnership:
    return Partnership(
        partnership_id, partner_id, engagement_id, owner_org, role, period, REGISTERED_AT
    )


async def holding(
    *held: Partner | KnownEngagement | Partnership,
) -> FakePartnersUnitOfWork:
    uow = FakePartnersUnitOfWork()
    for record in held:
        if isinstance(record, Partner):
            await uow.partners.add(record)
        elif isinstance(record, KnownEngagement):
            await uow.engagements.put(record)
        else:
            await uow.partnerships.add(record)
    return uow
