"""The partnership use cases on in-memory fakes: forming and ending publish what the other
services need, and every refusal (unknown partner or engagement, a role held twice at once, an
end before the start, a second end) publishes and keeps nothing. Only coordinators of the
engagement's owner form and end partnerships on it; a partner or an engagement the caller may
not see is as unknown as a missing one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from multitrack_partners.application.partnerships import (
    EndPartnership,
    FormPartnership,
    end_partnership,
    form_partnership,
    get_partnership,
    search_partnerships,
)
from multitrack_partners.application.ports import PartnershipFilter
from multitrack_partners.domain.partnership import Partnership, PartnershipRole, Period
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import Conflict, DomainError, Forbidden, NotFound
from multitrack_shared.events import partners as events

from .samples import (
    COORDINATOR,
    NOW,
    OTHER_COORDINATOR,
    TOO_WEAK,
    a_partner,
    a_partnership,
    an_engagement,
    clock,
    holding,
)

pytestmark = pytest.mark.unit

CO_FACILITATOR = PartnershipRole.co_facilitator
HOST = PartnershipRole.host


def forming(**changes: Any) -> FormPartnership:
    fields: dict[str, Any] = {
        "partner_id": "p-1",
        "engagement_id": "eng-1",
        "role": CO_FACILITATOR,
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2027, 2, 28),
    }
    return FormPartnership(**{**fields, **changes})


async def test_forming_keeps_the_partnership_with_the_engagements_owner_and_publishes_it() -> None:
    uow = await holding(a_partner(), an_engagement(owner_org="cdr", visibility="owner"))

    partnership = await form_partnership(forming(), OTHER_COORDINATOR, uow, clock)

    assert await uow.partnerships.get(partnership.id) == partnership
    assert (partnership.owner_org, partnership.visibility) == ("cdr", "owner")
    assert uow.published == [
        events.PartnershipFormed(
            partnership_id=partnership.id,
            engagement_id="eng-1",
            partner_id="p-1",
            role="co_facilitator",
            starts_on=date(2026, 3, 1),
            ends_on=date(2027, 2, 28),
            partner_name="Red de Mujeres del Caribe",
            partner_tracks=[4, 6],
            partner_is_local=True,
            partner_women_led=True,
            formed_at=NOW,
        )
    ]


async def test_the_same_role_again_after_the_earlier_one_ended_is_formed() -> None:
    earlier = a_partnership(period=Period(date(2025, 1, 1), date(2026, 2, 28)))
    uow = await holding(a_partner(), an_engagement(), earlier)

    await form_partnership(forming(), COORDINATOR, uow, clock)

    assert len(uow.partnerships.partnerships) == 2
    assert len(uow.published) == 1


@pytest.mark.parametrize(
    ("cmd", "refusal", "code"),
    [
        pytest.param(forming(partner_id="p-9"), DomainError, "unknown_partner", id="partner"),
        pytest.param(
            forming(engagement_id="eng-9"), DomainError, "unknown_engagement", id="engagement"
        ),
        pytest.param(
            forming(ends_on=date(2026, 2, 1)), DomainError, "ends_before_start", id="reversed"
        ),
        pytest.param(forming(), Conflict, "role_already_held", id="role-held-at-once"),
    ],
)
async def test_a_refused_partnership_is_neither_kept_nor_published(
    cmd: FormPartnership, refusal: type[DomainError], code: str
) -> None:
    uow = await holding(a_partner(), an_engagement(), a_partnership())

    with pytest.raises(refusal) as refused:
        await form_partnership(cmd, COORDINATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert list(uow.partnerships.partnerships) == ["ps-1"]


async def test_ending_keeps_the_last_day_and_publishes_the_end() -> None:
    uow = await holding(a_partnership())

    ending = EndPartnership("ps-1", date(2026, 6, 30))

    partnership = await end_partnership(ending, COORDINATOR, uow, clock)

    assert await uow.partnerships.get("ps-1") == partnership
    assert (partnership.period.ends_on, partnership.ended_at) == (date(2026, 6, 30), NOW)
    assert uow.published == [
        events.PartnershipEnded(
            partnership_id="ps-1",
            engagement_id="eng-1",
            partner_id="p-1",
            ends_on=date(2026, 6, 30),
            ended_at=NOW,
        )
    ]


@pytest.mark.parametrize(
    ("held", "cmd", "refusal", "code"),
    [
        pytest.param(
            a_partnership(),
            EndPartnership("ps-9", date(2026, 6, 30)),
            NotFound,
            "not_found",
            id="unknown",
        ),
        pytest.param(
            a_partnership(),
            EndPartnership("ps-1", date(2026, 1, 31)),
            DomainError,
            "ends_before_start",
            id="before-start",
        ),
        pytest.param(
            Partnership(
                "ps-1", "p-1", "eng-1", "imtd", CO_FACILITATOR, Period(date(2026, 2, 1)), NOW, NOW
            ),
            EndPartnership("ps-1", date(2026, 6, 30)),
            Conflict,
            "already_ended",
            id="twice",
        ),
    ],
)
async def test_a_refused_end_publishes_nothing_and_leaves_the_partnership_as_it_was(
    held: Partnership, cmd: EndPartnership, refusal: type[DomainError], code: str
) -> None:
    uow = await holding(held)

    with pytest.raises(refusal) as refused:
        await end_partnership(cmd, COORDINATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert await uow.partnerships.get("ps-1") == held


async def test_a_partnership_is_read_by_its_id_and_an_unknown_one_is_not_found() -> None:
    uow = await holding(a_partnership())

    assert await get_partnership("ps-1", COORDINATOR, uow) == a_partnership()
    with pytest.raises(NotFound) as refused:
        await get_partnership("ps-9", COORDINATOR, uow)
    assert refused.value.field == "partnership_id"


async def test_the_search_filters_by_engagement_and_partner_earliest_start_first() -> None:
    uow = await holding(
        a_partnership("ps-late", period=Period(date(2026, 5, 1))),
        a_partnership("ps-early", period=Period(date(2025, 5, 1))),
        a_partnership("ps-other-partner", partner_id="p-2"),
        a_partnership("ps-other-engagement", engagement_id="eng-2"),
    )

    found = await search_partnerships(
        PartnershipFilter(engagement_id="eng-1", partner_id="p-1"), COORDINATOR, uow
    )

    assert [p.id for p in found] == ["ps-early", "ps-late"]


@pytest.mark.parametrize("caller", TOO_WEAK)
async def test_a_role_weaker_than_coordinator_forms_and_ends_nothing(caller: Principal) -> None:
    uow = await holding(a_partner(), an_engagement(), a_partnership("ps-held", role=HOST))

    with pytest.raises(Forbidden) as forming_refused:
        await form_partnership(forming(), caller, uow, clock)
    with pytest.raises(Forbidden) as ending_refused:
        await end_partnership(EndPartnership("ps-held", date(2026, 6, 30)), caller, uow, clock)

    assert forming_refused.value.code == "role_required"
    # a consortium admin owns nothing; the owner's other roles are too weak
    assert ending_refused.value.code == (
        "not_owner" if caller.organization is None else "role_required"
    )
    assert uow.nothing_committed


async def test_another_organization_forms_nothing_on_an_engagement_it_does_not_own() -> None:
    uow = await holding(
        a_partner(),
        an_engagement("eng-shared"),
        an_engagement("eng-private", visibility="owner"),
    )

    with pytest.raises(Forbidden) as forbidden:
        await form_partnership(forming(engagement_id="eng-shared"), OTHER_COORDINATOR, uow, clock)
    with pytest.raises(DomainError) as hidden:
        await form_partnership(forming(engagement_id="eng-private"), OTHER_COORDINATOR, uow, clock)

    assert forbidden.value.code == "not_owner"
    # an engagement the caller may not see is refused exactly as one never heard of
    assert (hidden.value.status_code, hidden.value.code) == (422, "unknown_engagement")
    assert uow.nothing_committed


async def test_another_organizations_owner_only_partner_cannot_be_taken_on() -> None:
    uow = await holding(
        a_partner("p-cdr", owner_org="cdr", visibility="owner"), an_engagement(owner_org="imtd")
    )

    with pytest.raises(DomainError) as refused:
        await form_partnership(forming(partner_id="p-cdr"), COORDINATOR, uow, clock)

    assert (refused.value.field, refused.value.code) == ("partner_id", "unknown_partner")
    assert uow.nothing_committed


async def test_a_partnership_follows_its_engagement_for_who_reads_and_who_ends_it() -> None:
    uow = await holding(
        an_engagement("eng-shared"),
        an_engagement("eng-private", visibility="owner"),
        a_partnership("ps-shared", engagement_id="eng-shared"),
        a_partnership("ps-private", engagement_id="eng-private"),
    )
    ending = date(2026, 6, 30)

    with pytest.raises(Forbidden) as forbidden:
        await end_partnership(EndPartnership("ps-shared", ending), OTHER_COORDINATOR, uow, clock)
    with pytest.raises(NotFound) as hidden:
        await end_partnership(EndPartnership("ps-private", ending), OTHER_COORDINATOR, uow, clock)
    with pytest.raises(NotFound):
        await get_partnership("ps-private", OTHER_COORDINATOR, uow)
    seen = await search_partnerships(PartnershipFilter(), OTHER_COORDINATOR, uow)
    own = await search_partnerships(PartnershipFilter(), COORDINATOR, uow)

    assert forbidden.value.code == "not_owner"
    assert (hidden.value.message, hidden.value.field) == (
        "no partnership ps-private",
        "partnership_id",
    )
    assert (await get_partnership("ps-shared", OTHER_COORDINATOR, uow)).visibility == "consortium"
    assert [p.id for p in seen] == ["ps-shared"]
    assert {p.id for p in own} == {"ps-shared", "ps-private"}
    assert uow.nothing_committed
