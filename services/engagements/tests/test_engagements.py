"""The engagement itself: opened only from the accepted-invitation event, its view with the
commitment's health, and the search (the status machine is in test_status_api)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from multitrack_engagements.domain.engagement import (
    Engagement,
    Status,
    add_years,
    engagement_id_for,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.events.common import ConflictContext
from multitrack_shared.events.invitations import InvitationAccepted

from .conftest import Api, Database, Deliver, OpenEngagement

ACCEPTED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)
OPENED = "multitrack.engagement.opened.v1"
Acceptance = Callable[..., InvitationAccepted]


# --- opening: the domain --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        pytest.param(date(2025, 3, 1), 5, date(2030, 3, 1), id="ordinary-day"),
        pytest.param(date(2024, 2, 29), 5, date(2029, 2, 28), id="29-feb-to-common-year"),
        pytest.param(date(2024, 2, 29), 4, date(2028, 2, 29), id="29-feb-to-leap-year"),
        pytest.param(date(2023, 2, 28), 1, date(2024, 2, 28), id="28-feb-stays"),
        pytest.param(date(2025, 12, 31), 5, date(2030, 12, 31), id="year-end"),
    ],
)
def test_adding_years_keeps_the_day_and_falls_back_to_28_february_after_a_leap_day(
    start: date, years: int, expected: date
) -> None:
    assert add_years(start, years) == expected


def opened(commitment_years: int = 5, accepted_at: datetime = ACCEPTED_AT) -> Engagement:
    return Engagement.open_from_invitation(
        invitation_id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        purpose="Dialogue facilitation",
        conflict=ConflictDescription(name="Montes de María land conflict", country="CO"),
        inviter_track=4,
        commitment_years=commitment_years,
        accepted_at=accepted_at,
    )


@pytest.mark.parametrize(
    ("years", "until"),
    [
        pytest.param(5, date(2029, 2, 28), id="five"),
        pytest.param(8, date(2032, 2, 29), id="eight"),
        pytest.param(3, date(2029, 2, 28), id="three-is-raised-to-five"),
        pytest.param(0, date(2029, 2, 28), id="zero-is-raised-to-five"),
    ],
)
def test_an_engagement_opens_listening_and_commits_at_least_five_years_from_its_start(
    years: int, until: date
) -> None:
    engagement = opened(commitment_years=years)

    assert engagement.start_date == date(2024, 2, 29)
    assert engagement.committed_until == until
    assert engagement.status is Status.listening
    assert engagement.opened_at == ACCEPTED_AT
    assert engagement.invitation_id == "inv-1"


def test_the_engagement_id_is_derived_from_the_invitation_id_and_always_the_same() -> None:
    first = engagement_id_for("inv-1")

    assert first == engagement_id_for("inv-1")
    assert first != engagement_id_for("inv-2")
    assert uuid.UUID(first).version == 5
    assert opened().id == first


# --- opening: the handler -------------------------------------------------------------------


async def test_an_accepted_invitation_opens_one_engagement_and_publishes_engagement_opened(
    deliver: Deliver, db: Database, acceptance: Acceptance
) -> None:
    event = acceptance(commitment_years=7)

    await deliver(event)

    (engagement,) = await db.rows("engagements")
    assert engagement.id == engagement_id_for(event.invitation_id)
    assert engagement.invitation_id == event.invitation_id
    assert engagement.status == "listening"
    assert engagement.country == "CO"
    assert engagement.start_date == date(2024, 2, 29)
    assert engagement.committed_until == date(2031, 2, 28)
    (opened_event,) = await db.outbox()
    assert opened_event.event_type == OPENED
    assert opened_event.message_key == engagement.id
    assert opened_event.data["invitation_id"] == event.invitation_id
    assert opened_event.data["committed_until"] == "2031-02-28"
    assert opened_event.data["conflict"]["conflict_type"] == "land"
    assert opened_event.data["ownership"] == {"owner_org": "org-a", "visibility": "consortium"}
    assert opened_event.data["purpose"] == event.support_requested


async def test_the_same_accepted_invitation_delivered_twice_opens_exactly_one_engagement(
    deliver: Deliver, db: Database, acceptance: Acceptance
) -> None:
    event = acceptance()

    await deliver(event)
    await deliver(event)

    assert await db.count("engagements") == 1
    assert await db.outbox_types() == [OPENED]


async def test_a_redelivery_with_a_new_event_id_but_the_same_invitation_is_still_one_engagement(
    deliver: Deliver, db: Database, acceptance: Acceptance
) -> None:
    event = acceptance()

    await deliver(event)
    await deliver(acceptance(invitation_id=event.invitation_id, commitment_years=9))

    (engagement,) = await db.rows("engagements")
    assert engagement.committed_until == date(2029, 2, 28)
    assert await db.count("outbox") == 1


# --- the view -------------------------------------------------------------------------------


async def test_an_opened_engagement_can_be_listed_and_read_back_with_its_health(
    deliver: Deliver, client: httpx.AsyncClient, acceptance: Acceptance
) -> None:
    event = acceptance()
    await deliver(event)

    listed = await client.get("/engagements")
    read = await client.get(f"/engagements/{engagement_id_for(event.invitation_id)}")

    assert listed.status_code == 200
    (engagement,) = listed.json()
    assert read.status_code == 200
    assert read.json() == engagement
    assert engagement["invitation_id"] == event.invitation_id
    assert engagement["status"] == "listening"
    assert engagement["purpose"] == event.support_requested
    assert engagement["inviter_track"] == 4
    assert engagement["start_date"] == "2024-02-29"
    assert engagement["committed_until"] == "2029-02-28"
    assert engagement["conflict"]["country"] == "CO"
    assert engagement["method_blend"] == {"local": 0, "external": 0}
    assert engagement["history"] == []
    # NOW is 2 March 2026: 732 days into a 1,826-day commitment, no activity since the start.
    assert engagement["health"] == {
        "days_elapsed": 732,
        "days_left": 1094,
        "share_elapsed": 0.401,
        "months_without_activity": 24,
        "quiet": True,
    }


async def test_an_activity_resets_the_months_without_activity_and_feeds_the_method_blend(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()

    await api.activity(engagement_id, held_on="2025-11-20")
    await api.activity(engagement_id, held_on="2026-01-20")
    await api.activity(engagement_id, held_on="2025-06-01")

    view = (await client.get(f"/engagements/{engagement_id}")).json()
    assert view["last_activity_on"] == "2026-01-20"
    assert view["health"]["months_without_activity"] == 1
    assert view["health"]["quiet"] is False
    assert view["method_blend"] == {"local": 6, "external": 3}


async def test_reading_an_unknown_engagement_answers_404_with_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/engagements/no-such-engagement")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert [problem["field"] for problem in error["fields"]] == ["engagement_id"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(None, id="no-body"),
        pytest.param({"invitation_id": "inv-1", "owner_org": "imtd"}, id="with-a-body"),
    ],
)
async def test_creating_an_engagement_directly_answers_405_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any] | None
) -> None:
    response = await client.post("/engagements", json=body)

    assert response.status_code == 405
    error = response.json()["error"]
    assert error["code"] == "engagement_opens_from_invitation_only"
    assert [problem["field"] for problem in error["fields"]] == ["invitation_id"]
    assert await db.count("engagements") == 0
    assert await db.count("outbox") == 0


# --- the search -----------------------------------------------------------------------------


async def test_searching_filters_by_invitation_status_and_country(
    deliver: Deliver, client: httpx.AsyncClient, acceptance: Acceptance
) -> None:
    colombia = acceptance()
    kenya = acceptance(conflict=ConflictContext(name="Rift Valley", country="KE"))
    for event in (colombia, kenya):
        await deliver(event)

    async def invitations(**params: Any) -> set[str]:
        response = await client.get("/engagements", params=params)
        assert response.status_code == 200, response.text
        return {engagement["invitation_id"] for engagement in response.json()}

    both = {colombia.invitation_id, kenya.invitation_id}
    assert await invitations() == both
    assert await invitations(invitation_id=kenya.invitation_id) == {kenya.invitation_id}
    assert await invitations(invitation_id="no-such-invitation") == set()
    assert await invitations(status="listening") == both
    assert await invitations(status="active") == set()
    assert await invitations(country="co") == {colombia.invitation_id}
    assert await invitations(country="KE", status="listening") == {kenya.invitation_id}
    assert await invitations(country="PE") == set()


@pytest.mark.parametrize(
    ("last_activity", "quiet"),
    [
        pytest.param(None, True, id="no-activity-since-a-start-two-years-ago"),
        pytest.param("2025-09-02", True, id="exactly-six-months"),
        pytest.param("2025-09-03", False, id="a-day-short-of-six-months"),
        pytest.param("2026-02-01", False, id="last-month"),
    ],
)
async def test_quiet_true_finds_the_engagements_six_months_or_more_without_activity(
    open_engagement: OpenEngagement,
    api: Api,
    client: httpx.AsyncClient,
    last_activity: str | None,
    quiet: bool,
) -> None:
    engagement_id = await open_engagement()
    if last_activity:
        await api.activity(engagement_id, held_on=last_activity)

    found_quiet = (await client.get("/engagements", params={"quiet": "true"})).json()
    found_lively = (await client.get("/engagements", params={"quiet": "false"})).json()
    view = (await client.get(f"/engagements/{engagement_id}")).json()

    assert [e["id"] for e in found_quiet] == ([engagement_id] if quiet else [])
    assert [e["id"] for e in found_lively] == ([] if quiet else [engagement_id])
    assert view["health"]["quiet"] is quiet


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"status": "bogus"}, "query.status", id="bad-status"),
        pytest.param({"country": "ZZ"}, "query.country", id="bad-country"),
        pytest.param({"quiet": "sometimes"}, "query.quiet", id="bad-quiet"),
        pytest.param({"limit": 0}, "query.limit", id="limit-zero"),
        pytest.param({"limit": 501}, "query.limit", id="limit-too-large"),
        pytest.param({"offset": -1}, "query.offset", id="negative-offset"),
    ],
)
async def test_searching_with_a_bad_query_parameter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/engagements", params=params)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [problem["field"] for problem in error["fields"]] == [field]
