"""Partners, engagements and partnerships as the partners unit tests find them held, and the
callers that act on them: imtd owns the samples, cdr is another member organization."""

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
from multitrack_shared.auth.principal import Role
from multitrack_shared.testing.principals import acting_for

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


COORDINATOR = acting_for("imtd", Role.coordinator)
"""A coordinator of imtd, which owns the samples."""
OTHER_COORDINATOR = acting_for("cdr", Role.coordinator)
TOO_WEAK = (
    acting_for("imtd", Role.evaluator),
    acting_for("imtd", Role.observer),
    acting_for("imtd", Role.partner_system),
    acting_for(None, Role.consortium_admin),
)
"""Callers of the owning organization (or the consortium) without the coordinator role."""


def clock() -> datetime:
    return NOW


def a_partner(
    partner_id: str = "p-1",
    *,
    owner_org: str = "imtd",
    visibility: str = "consortium",
    **profile: Any,
) -> Partner:
    return Partner(
        id=partner_id,
        owner_org=owner_org,
        visibility=visibility,
        profile=replace(PROFILE, **profile),
        registered_at=REGISTERED_AT,
        contact_people=[ContactPerson("Ana María Torres", "ana@example.org", "coordinator")],
    )


def an_engagement(
    engagement_id: str = "eng-1", owner_org: str = "imtd", visibility: str = "consortium"
) -> KnownEngagement:
    return KnownEngagement(
        engagement_id, owner_org, visibility, "CO", "Caribbean region", 4, REGISTERED_AT
    )


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
