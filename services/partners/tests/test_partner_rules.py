"""The rules of partners, members and partnerships, on the domain alone: no database, no HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.member import Member
from multitrack_partners.domain.partner import ContactPerson, Partner, PartnerProfile
from multitrack_partners.domain.partnership import Partnership, PartnershipRole, Period
from multitrack_shared.errors import Conflict, DomainError

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PROFILE = PartnerProfile(
    name="Red de Mujeres del Caribe",
    kind="women's organization",
    tracks=(4, 6),
    countries=("CO",),
    is_local=True,
    women_led=True,
    womens_rights_org=True,
)
PARTNER = Partner(
    id="p-1", owner_org="imtd", visibility="consortium", profile=PROFILE, registered_at=NOW
)
ENGAGEMENT = KnownEngagement("eng-1", "cdr", "consortium", "CO", None, 4, NOW)


def a_partner() -> Partner:
    return replace(PARTNER, contact_people=[ContactPerson("Ana")])


def test_revising_the_public_profile_reports_a_change_and_dates_it() -> None:
    partner = a_partner()

    changed = partner.revise(replace(PROFILE, women_led=False), partner.contact_people, NOW)

    assert changed
    assert partner.profile.women_led is False
    assert partner.updated_at == NOW


def test_revising_only_the_contact_people_is_no_public_change() -> None:
    partner = a_partner()

    changed = partner.revise(PROFILE, [ContactPerson("Luz")], NOW)

    assert not changed
    assert partner.contact_people == [ContactPerson("Luz")]
    assert partner.updated_at is None


def join(**changes: Any) -> Member:
    fields: dict[str, Any] = {
        "member_id": "m-1",
        "name": "IMTD",
        "roles": ("lead",),
        "joined_on": None,
        "now": NOW,
        "namesake": None,
    }
    return Member.join(**{**fields, **changes})


def test_a_member_joins_today_unless_it_says_when() -> None:
    assert join().joined_on == date(2026, 3, 2)
    assert join().joined_at == NOW
    earlier = join(joined_on=date(2025, 9, 1))
    assert earlier.joined_at == datetime(2025, 9, 1, tzinfo=UTC)


def test_a_member_may_join_today_but_not_tomorrow() -> None:
    assert join(joined_on=date(2026, 3, 2)).joined_on == date(2026, 3, 2)
    with pytest.raises(DomainError) as refused:
        join(joined_on=date(2026, 3, 3))
    assert (refused.value.field, refused.value.code) == ("joined_on", "joined_in_future")


def test_a_member_cannot_join_twice() -> None:
    with pytest.raises(Conflict) as refused:
        join(namesake=join(member_id="m-0"))
    assert (refused.value.field, refused.value.code) == ("name", "member_exists")


def form(**changes: Any) -> Partnership:
    fields: dict[str, Any] = {
        "partnership_id": "ps-1",
        "partner": PARTNER,
        "partner_id": "p-1",
        "engagement": ENGAGEMENT,
        "engagement_id": "eng-1",
        "role": PartnershipRole.host,
        "period": Period(date(2026, 4, 1)),
        "held": [],
        "now": NOW,
    }
    return Partnership.form(**{**fields, **changes})


def test_a_partnership_belongs_to_the_owner_of_its_engagement_and_is_seen_as_it_is() -> None:
    assert (form().owner_org, form().visibility) == ("cdr", "consortium")
    owner_only = replace(ENGAGEMENT, visibility="owner")
    assert form(engagement=owner_only).visibility == "owner"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"partner": None}, "partner_id", "unknown_partner"),
        ({"engagement": None}, "engagement_id", "unknown_engagement"),
        ({"period": Period(date(2026, 4, 1), date(2026, 3, 31))}, "ends_on", "ends_before_start"),
    ],
)
def test_forming_needs_a_known_partner_and_engagement_and_an_end_after_the_start(
    changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        form(**changes)
    assert (refused.value.status_code, refused.value.field, refused.value.code) == (
        422,
        field,
        code,
    )


@pytest.mark.parametrize(
    ("held", "asked", "overlap"),
    [
        (Period(date(2026, 1, 1)), Period(date(2030, 1, 1)), True),
        (Period(date(2026, 1, 1), date(2026, 6, 30)), Period(date(2026, 6, 30)), True),
        (Period(date(2026, 1, 1), date(2026, 6, 30)), Period(date(2026, 7, 1)), False),
        (Period(date(2026, 7, 1)), Period(date(2026, 1, 1), date(2026, 6, 30)), False),
        (Period(date(2026, 7, 1)), Period(date(2026, 1, 1), date(2026, 7, 1)), True),
    ],
)
def test_the_same_role_cannot_be_held_twice_in_overlapping_periods(
    held: Period, asked: Period, overlap: bool
) -> None:
    existing = form(partnership_id="ps-0", period=held)

    if overlap:
        with pytest.raises(Conflict) as refused:
            form(period=asked, held=[existing])
        assert (refused.value.field, refused.value.code) == ("role", "role_already_held")
    else:
        assert form(period=asked, held=[existing]).period == asked


def test_another_role_at_the_same_time_is_allowed() -> None:
    existing = form(partnership_id="ps-0", role=PartnershipRole.trainer)

    assert form(held=[existing]).role is PartnershipRole.host


def test_ending_records_the_last_day_once() -> None:
    partnership = form()

    partnership.end(date(2026, 9, 30), NOW)

    assert partnership.period == Period(date(2026, 4, 1), date(2026, 9, 30))
    assert partnership.ended_at == NOW
    with pytest.raises(Conflict) as refused:
        partnership.end(date(2026, 10, 31), NOW)
    assert refused.value.code == "already_ended"
    assert partnership.period.ends_on == date(2026, 9, 30)


def test_ending_before_the_start_is_refused_and_leaves_the_partnership_running() -> None:
    partnership = form()

    with pytest.raises(DomainError) as refused:
        partnership.end(date(2026, 3, 31), NOW)

    assert refused.value.field == "ends_on"
    assert not partnership.ended
