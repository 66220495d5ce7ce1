"""Suggested partners and inclusion figures on in-memory fakes: read-only use cases over the
owned records and the read models, which publish nothing and show only what the caller may see.
One organization's owner-only partner is never suggested for another organization's
engagement."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from multitrack_partners.application.insights import (
    consortium_inclusion,
    engagement_inclusion,
    suggest_partners,
)
from multitrack_partners.domain.activity import ActivityFacts, Tally
from multitrack_partners.domain.inclusion import ActivityFigures, Headcount, PartnerFigures
from multitrack_partners.domain.partnership import Period
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import NotFound
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakePartnersUnitOfWork
from .samples import (
    COORDINATOR,
    OTHER_COORDINATOR,
    a_partner,
    a_partnership,
    an_engagement,
    clock,
    holding,
)

pytestmark = pytest.mark.unit


def an_activity(
    activity_id: str, engagement_id: str, led_locally: bool, *tallies: Tally
) -> ActivityFacts:
    return ActivityFacts(activity_id, engagement_id, date(2026, 2, 1), led_locally, (7,), tallies)


async def test_partners_in_the_country_not_yet_engaged_are_suggested_best_first() -> None:
    uow = await holding(
        an_engagement(),
        a_partner("p-engaged"),
        a_partner("p-ended", name="Ended"),
        a_partner("p-external", name="External", is_local=False),
        a_partner("p-activity-track", name="Zeta", tracks=(7,), women_led=False),
        a_partner("p-no-shared-track", name="Alfa", tracks=(1,)),
        a_partner("p-kenya", name="Kenya", countries=("KE",)),
        a_partnership("ps-1", partner_id="p-engaged"),
        a_partnership(
            "ps-2", partner_id="p-ended", period=Period(date(2025, 1, 1), date(2026, 1, 31))
        ),
    )
    await uow.activities.put(an_activity("a-1", "eng-1", True))

    suggested = await suggest_partners("eng-1", COORDINATOR, uow, clock)

    # covered: the inviter's 4, the activity's 7, and 6 through the engaged partner
    assert [(s.partner.id, s.shared_tracks, s.fills_gaps) for s in suggested] == [
        ("p-no-shared-track", (), (1,)),
        ("p-ended", (4,), ()),
        ("p-activity-track", (7,), ()),
        ("p-external", (4,), ()),
    ]
    assert suggested[1].reasons == ("local", "works in CO", "shares track 4", "women-led")
    assert uow.nothing_committed


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(
            lambda uow, engagement_id: suggest_partners(
                engagement_id, OTHER_COORDINATOR, uow, clock
            ),
            id="suggestions",
        ),
        pytest.param(
            lambda uow, engagement_id: engagement_inclusion(engagement_id, OTHER_COORDINATOR, uow),
            id="inclusion",
        ),
    ],
)
@pytest.mark.parametrize("engagement_id", ["eng-9", "eng-private"])
async def test_an_engagement_not_known_from_its_events_or_hidden_from_the_caller_is_not_found(
    read: Callable[[FakePartnersUnitOfWork, str], Awaitable[object]], engagement_id: str
) -> None:
    uow = await holding(an_engagement(), an_engagement("eng-private", visibility="owner"))

    with pytest.raises(NotFound) as refused:
        await read(uow, engagement_id)

    assert refused.value.field == "engagement_id"
    assert refused.value.message.startswith(f"no engagement {engagement_id} ")


async def inclusion_world() -> FakePartnersUnitOfWork:
    uow = await holding(
        an_engagement("eng-1"),
        an_engagement("eng-2"),
        an_engagement("eng-cdr", owner_org="cdr"),
        a_partner("p-local"),
        a_partner("p-external", is_local=False, women_led=False, womens_rights_org=False),
        a_partnership("ps-1", partner_id="p-local", engagement_id="eng-1"),
        a_partnership(
            "ps-2",
            partner_id="p-external",
            engagement_id="eng-1",
            period=Period(date(2025, 1, 1), date(2025, 12, 31)),
        ),
        a_partnership("ps-3", partner_id="p-local", engagement_id="eng-2"),
        a_partnership("ps-4", partner_id="p-external", engagement_id="eng-cdr", owner_org="cdr"),
    )
    women, men = Tally("female", "participant", 12), Tally("male", "participant", 8)
    await uow.activities.put(an_activity("a-1", "eng-1", True, women, men))
    await uow.activities.put(an_activity("a-2", "eng-2", False, Tally("female", "delegate", 2)))
    await uow.activities.put(an_activity("a-3", "eng-cdr", True, Tally("male", "participant", 5)))
    return uow


async def test_an_engagements_inclusion_counts_its_ended_partners_participants_and_activities() -> (
    None
):
    uow = await inclusion_world()

    figures = await engagement_inclusion("eng-1", COORDINATOR, uow)

    assert figures.partners == PartnerFigures(total=2, local=1, women_led=1, womens_rights_orgs=1)
    assert (figures.participants.total, figures.participants.women) == (20, 12)
    assert figures.participants.by_role["participant"] == Headcount(20, 12)
    assert figures.activities == ActivityFigures(total=1, led_locally=1)
    assert uow.nothing_committed


async def test_a_members_inclusion_counts_its_own_engagements_only_and_all_counts_every_one() -> (
    None
):
    uow = await inclusion_world()

    imtd = await consortium_inclusion("imtd", COORDINATOR, uow)
    everyone = await consortium_inclusion(None, COORDINATOR, uow)

    assert imtd.engagements == 2
    assert imtd.figures.partners.total == 2
    assert (imtd.figures.participants.total, imtd.figures.participants.women) == (22, 14)
    assert imtd.figures.activities == ActivityFigures(total=2, led_locally=1)
    assert everyone.engagements == 3
    assert everyone.figures.participants.total == 27
    assert everyone.figures.activities == ActivityFigures(total=3, led_locally=2)


async def test_an_owner_only_partner_is_never_suggested_for_another_organizations_engagement() -> (
    None
):
    uow = await holding(
        an_engagement("eng-imtd", owner_org="imtd"),
        an_engagement("eng-cdr", owner_org="cdr"),
        a_partner("p-shared", name="Shared"),
        a_partner("p-imtd-private", name="Imtd's own", visibility="owner"),
        a_partner("p-cdr-private", name="Cdr's own", owner_org="cdr", visibility="owner"),
    )

    async def suggested(engagement_id: str, caller: Principal) -> set[str]:
        return {s.partner.id for s in await suggest_partners(engagement_id, caller, uow, clock)}

    assert await suggested("eng-imtd", COORDINATOR) == {"p-shared", "p-imtd-private"}
    assert await suggested("eng-cdr", OTHER_COORDINATOR) == {"p-shared", "p-cdr-private"}
    # each organization sees the other's engagement, but not the other's own partners for it,
    # nor its own partners suggested to the other's engagement
    assert await suggested("eng-cdr", COORDINATOR) == {"p-shared"}
    assert await suggested("eng-imtd", OTHER_COORDINATOR) == {"p-shared"}
    assert await suggested("eng-imtd", acting_for(None, Role.consortium_admin)) == {"p-shared"}


async def test_inclusion_counts_only_what_the_caller_may_see() -> None:
    uow = await holding(
        an_engagement("eng-imtd-private", owner_org="imtd", visibility="owner"),
        an_engagement("eng-cdr", owner_org="cdr"),
        a_partner("p-private", visibility="owner"),
        a_partner("p-shared", is_local=False),
        a_partnership("ps-1", partner_id="p-private", engagement_id="eng-imtd-private"),
        a_partnership("ps-2", partner_id="p-shared", engagement_id="eng-cdr", owner_org="cdr"),
        a_partnership("ps-3", partner_id="p-private", engagement_id="eng-cdr", owner_org="cdr"),
    )
    await uow.activities.put(
        an_activity("a-1", "eng-imtd-private", True, Tally("female", "participant", 4))
    )
    await uow.activities.put(an_activity("a-2", "eng-cdr", False, Tally("male", "delegate", 1)))

    imtd = await consortium_inclusion(None, COORDINATOR, uow)
    cdr = await consortium_inclusion(None, OTHER_COORDINATOR, uow)
    cdr_engagement = await engagement_inclusion("eng-cdr", OTHER_COORDINATOR, uow)

    assert imtd.engagements == 2
    assert imtd.figures.partners.total == 2
    assert imtd.figures.participants.total == 5
    assert imtd.figures.activities == ActivityFigures(total=2, led_locally=1)
    # cdr sees neither imtd's owner-only engagement nor imtd's owner-only partner
    assert cdr.engagements == 1
    assert cdr.figures.partners == PartnerFigures(
        total=1, local=0, women_led=1, womens_rights_orgs=1
    )
    assert cdr.figures.participants.total == 1
    assert cdr.figures.activities == ActivityFigures(total=1, led_locally=0)
    assert cdr_engagement.partners.total == 1
    assert (await consortium_inclusion("imtd", OTHER_COORDINATOR, uow)).engagements == 0
