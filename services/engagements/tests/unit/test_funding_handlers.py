"""Funding, budgets and the IATI activity on in-memory fakes: participants are never billed, a
budget line covers at most a year and overlaps no other, a funder is a partner the caller may
read; partners and members arrive by event; the IATI activity names each organization in its
role and counts participants per year by sex. A refusal keeps and publishes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from multitrack_engagements.application.activities import record_activity
from multitrack_engagements.application.funding import (
    PlanBudget,
    RecordFunding,
    plan_budget,
    record_funding,
)
from multitrack_engagements.application.iati import iati_of_engagement, iati_of_organization
from multitrack_engagements.application.projections import (
    on_member_joined,
    on_partner_registered,
    on_partner_updated,
)
from multitrack_engagements.domain.engagement import Status
from multitrack_engagements.domain.funding import BudgetStatus, FundingKind
from multitrack_engagements.domain.iati import OrganisationRole
from multitrack_engagements.domain.organizations import PartnerSeen
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events import engagements as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.partners import MemberJoined, PartnerRegistered, PartnerUpdated
from multitrack_shared.events.vocabulary import Sex
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeEngagementsUnitOfWork
from .samples import ACTIVITY, COORDINATOR, ENGAGEMENT, OWNER, an_engagement, clock, holding

pytestmark = pytest.mark.unit

AT = datetime(2024, 1, 15, tzinfo=UTC)
FUNDER = PartnerSeen("p-fund", "Peace Fund", "org-b", "consortium", "XM-DAC-7", "60")


def funding(**changes: Any) -> RecordFunding:
    cmd = RecordFunding(
        ENGAGEMENT,
        FUNDER.partner_id,
        FundingKind.grant,
        250000,
        "EUR",
        date(2024, 3, 1),
        date(2026, 12, 31),
    )
    return replace(cmd, **changes)


def budget(start: date, end: date) -> PlanBudget:
    return PlanBudget(ENGAGEMENT, 80000, "EUR", start, end, BudgetStatus.committed)


async def funded() -> FakeEngagementsUnitOfWork:
    uow = await holding(an_engagement())
    await uow.organizations.put_partner(FUNDER)
    return uow


async def test_recording_funding_keeps_it_and_publishes_it() -> None:
    uow = await funded()

    recorded = await record_funding(funding(), COORDINATOR, uow, clock)

    assert recorded.funder == FUNDER
    assert await uow.funding.sources_of(ENGAGEMENT) == [recorded.source]
    (event,) = uow.published
    assert isinstance(event, events.FundingRecorded)
    assert (event.funder_id, event.kind, event.amount) == ("p-fund", "grant", 250000)


@pytest.mark.parametrize(
    ("cmd", "code"),
    [
        (funding(kind=FundingKind.participant_fee), "participants_never_billed"),
        (funding(funder_id="p-unknown"), "unknown_funder"),
        (funding(period_end=date(2024, 2, 1)), "period_reversed"),
    ],
)
async def test_a_funding_source_that_breaks_a_rule_is_refused(
    cmd: RecordFunding, code: str
) -> None:
    uow = await funded()

    with pytest.raises(DomainError) as refusal:
        await record_funding(cmd, COORDINATOR, uow, clock)

    assert refusal.value.code == code
    assert uow.nothing_committed


async def test_a_participant_fee_is_refused_before_anything_is_looked_up() -> None:
    uow = await holding(an_engagement())  # no funder known at all

    with pytest.raises(DomainError) as refusal:
        await record_funding(funding(kind=FundingKind.participant_fee), COORDINATOR, uow, clock)

    assert refusal.value.code == "participants_never_billed"


async def test_another_organizations_owner_only_partner_is_no_funder() -> None:
    uow = await funded()
    await uow.organizations.put_partner(replace(FUNDER, visibility="owner"))

    with pytest.raises(DomainError) as refusal:
        await record_funding(funding(), COORDINATOR, uow, clock)

    assert refusal.value.code == "unknown_funder"


async def test_a_closed_engagement_takes_no_funding_nor_budget() -> None:
    uow = await holding(an_engagement(status=Status.closed))
    await uow.organizations.put_partner(FUNDER)

    for attempt in (
        record_funding(funding(), COORDINATOR, uow, clock),
        plan_budget(budget(date(2025, 1, 1), date(2025, 12, 31)), COORDINATOR, uow, clock),
    ):
        with pytest.raises(Conflict):
            await attempt
    assert uow.nothing_committed


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2025, 1, 1), date(2026, 1, 1), "budget_period_over_a_year"),
        (date(2024, 2, 29), date(2025, 3, 1), "budget_period_over_a_year"),
        (date(2025, 6, 1), date(2026, 5, 31), "budget_periods_overlap"),
        (date(2024, 6, 1), date(2025, 1, 1), "budget_periods_overlap"),
    ],
)
async def test_a_budget_line_covers_at_most_a_year_and_overlaps_no_other(
    start: date, end: date, code: str
) -> None:
    uow = await holding(an_engagement())
    await plan_budget(budget(date(2025, 1, 1), date(2025, 12, 31)), COORDINATOR, uow, clock)
    kept = uow.published[:]

    with pytest.raises(DomainError) as refusal:
        await plan_budget(budget(start, end), COORDINATOR, uow, clock)

    assert refusal.value.code == code
    assert uow.published == kept


async def test_a_whole_year_from_a_leap_day_is_one_budget_line() -> None:
    uow = await holding(an_engagement())

    line = await plan_budget(budget(date(2024, 2, 29), date(2025, 2, 27)), COORDINATOR, uow, clock)

    assert line.period.end == date(2025, 2, 27)
    (event,) = uow.published
    assert isinstance(event, events.BudgetPlanned)


async def test_only_a_coordinator_of_the_owner_records_funding() -> None:
    uow = await funded()

    for caller in (acting_for(OWNER, Role.evaluator), acting_for("org-b", Role.coordinator)):
        with pytest.raises(DomainError):
            await record_funding(funding(), caller, uow, clock)
    assert uow.nothing_committed


async def test_partners_and_members_arrive_by_event() -> None:
    uow = FakeEngagementsUnitOfWork()
    registered = PartnerRegistered(
        partner_id="p-1",
        ownership=Ownership(owner_org="org-b", visibility=Visibility.consortium),
        name="Peace Fund",
        kind="funder",
        tracks=[9],
        countries=["CO"],
        is_local=False,
        women_led=False,
        womens_rights_org=False,
        registered_at=AT,
    )
    joined = MemberJoined(
        member_id="m-1",
        name="Alder Peace Network",
        roles=["lead"],
        joined_at=AT,
        organization=OWNER,
        iati_org_id="CO-NIT-1",
        iati_org_type="22",
    )

    await uow.consume(on_partner_registered, registered)
    await uow.consume(
        on_partner_updated,
        PartnerUpdated(
            **registered.model_dump(exclude={"ownership", "registered_at", "name", "iati_org_id"}),
            name="Peace Fund International",
            iati_org_id="XM-DAC-7",
            updated_at=AT,
        ),
    )
    await uow.consume(on_member_joined, joined)
    await uow.consume(on_member_joined, joined)  # redelivered: the same

    assert await uow.organizations.partner("p-1") == PartnerSeen(
        "p-1", "Peace Fund International", "org-b", "consortium", "XM-DAC-7", None
    )
    member = await uow.organizations.member_acting_as(OWNER)
    assert member is not None
    assert member.iati_org_id == "CO-NIT-1"
    assert await uow.organizations.member_acting_as("org-b") is None


async def reporting() -> FakeEngagementsUnitOfWork:
    uow = await funded()
    await uow.consume(
        on_member_joined,
        MemberJoined(
            member_id="m-1",
            name="Alder Peace Network",
            roles=["lead"],
            joined_at=AT,
            organization=OWNER,
            iati_org_id="CO-NIT-1",
            iati_org_type="22",
        ),
    )
    return uow


async def test_the_iati_activity_names_each_organization_in_its_role() -> None:
    uow = await reporting()
    host = PartnerSeen("p-host", "Red de Mujeres", "org-a", "consortium", None, None)
    await uow.organizations.put_partner(host)
    for partnership_id, partner, role in (("ps-1", host, "host"), ("ps-2", FUNDER, "funder")):
        await uow.partnerships.save(
            Partnership(partnership_id, ENGAGEMENT, partner.partner_id, partner.name, (4,), role)
        )
    await record_funding(funding(), COORDINATOR, uow, clock)

    activity = await iati_of_engagement(ENGAGEMENT, COORDINATOR, uow)

    roles = [(p.role, p.organisation.name) for p in activity.participations]
    assert roles == [
        (OrganisationRole.funding, "Peace Fund"),  # a source and a partnership: named once
        (OrganisationRole.accountable, "Alder Peace Network"),
        (OrganisationRole.extending, "Alder Peace Network"),
        (OrganisationRole.implementing, "Alder Peace Network"),
        (OrganisationRole.implementing, "Red de Mujeres"),
    ]
    assert activity.identifier == f"CO-NIT-1-{ENGAGEMENT}"


async def test_participants_are_counted_per_year_by_sex() -> None:
    uow = await reporting()
    await record_activity(ACTIVITY, COORDINATOR, uow, clock)

    activity = await iati_of_engagement(ENGAGEMENT, COORDINATOR, uow)

    (year,) = activity.participants
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert year.by_sex == ((Sex.female, 12),)


async def test_an_organization_with_nothing_shared_has_nothing_to_report() -> None:
    uow = await reporting()
    await uow.engagements.save(replace(an_engagement(), visibility="owner"))

    with pytest.raises(NotFound):
        await iati_of_organization(None, COORDINATOR, uow)
