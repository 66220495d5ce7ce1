"""Engagements: the domain rules, the accepted-invitation handler on the real SQLite unit of
work, and the read-only API, all in-process with no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where these
tests read them; the handler is called directly, as the consumer runtime would call it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from multitrack_engagements.adapters.tables import messaging, metadata
from multitrack_engagements.adapters.uow import EngagementsUnitOfWork
from multitrack_engagements.application.handlers import on_invitation_accepted
from multitrack_engagements.bootstrap import EngagementsSettings
from multitrack_engagements.domain.model import (
    ConflictDescription,
    Engagement,
    Status,
    add_years,
    engagement_id_for,
)
from multitrack_engagements.main import create_app
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.invitations import InvitationAccepted, Inviter
from multitrack_shared.runtime import ServiceRuntime

ENGAGEMENTS = metadata.tables["engagements"]
OPENED = "multitrack.engagement.opened.v1"
ACCEPTED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)


# --- domain -------------------------------------------------------------------------------


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


# --- handler and API, on the real SQLite unit of work ---------------------------------------


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = EngagementsSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/engagements.db",
        kafka_bootstrap_servers="127.0.0.1:1",
        log_json=False,
        log_level="WARNING",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://engagements") as client:
        yield client


def accepted(**changes: Any) -> InvitationAccepted:
    fields: dict[str, Any] = {
        "invitation_id": str(uuid.uuid4()),
        "ownership": Ownership(owner_org="imtd", visibility=Visibility.consortium),
        "inviter": Inviter(
            name="Council of Elders of Montes de María",
            kind="community council",
            track=4,
            is_party_to_conflict=True,
        ),
        "conflict": ConflictContext(
            name="Montes de María land conflict", country="CO", conflict_type="land"
        ),
        "support_requested": "Dialogue facilitation between land claimants",
        "rationale": "Invited by a party; every criterion met.",
        "commitment_years": 5,
        "accepted_at": ACCEPTED_AT,
    }
    return InvitationAccepted(**{**fields, **changes})


async def deliver(app: FastAPI, event: InvitationAccepted) -> None:
    """What the consumer runtime does for one record, minus the inbox row."""
    runtime: ServiceRuntime[EngagementsUnitOfWork] = app.state.runtime
    async with runtime.new_uow() as uow:
        await on_invitation_accepted(event, uow)
        await uow.commit()


async def rows(app: FastAPI, table: Table) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(select(table))).all())


async def count(app: FastAPI, table: Table) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


async def test_an_accepted_invitation_opens_one_engagement_and_publishes_engagement_opened(
    app: FastAPI,
) -> None:
    event = accepted(commitment_years=7)

    await deliver(app, event)

    (engagement,) = await rows(app, ENGAGEMENTS)
    assert engagement.id == engagement_id_for(event.invitation_id)
    assert engagement.invitation_id == event.invitation_id
    assert engagement.status == "listening"
    assert engagement.country == "CO"
    assert engagement.start_date == date(2024, 2, 29)
    assert engagement.committed_until == date(2031, 2, 28)
    (opened_event,) = await rows(app, messaging.outbox)
    assert opened_event.event_type == OPENED
    assert opened_event.message_key == engagement.id
    assert opened_event.data["invitation_id"] == event.invitation_id
    assert opened_event.data["committed_until"] == "2031-02-28"
    assert opened_event.data["conflict"]["conflict_type"] == "land"
    assert opened_event.data["ownership"] == {"owner_org": "imtd", "visibility": "consortium"}


async def test_the_same_accepted_invitation_delivered_twice_opens_exactly_one_engagement(
    app: FastAPI,
) -> None:
    event = accepted()

    await deliver(app, event)
    await deliver(app, event)

    assert await count(app, ENGAGEMENTS) == 1
    assert [row.event_type for row in await rows(app, messaging.outbox)] == [OPENED]


async def test_a_redelivery_with_a_new_event_id_but_the_same_invitation_is_still_one_engagement(
    app: FastAPI,
) -> None:
    event = accepted()

    await deliver(app, event)
    await deliver(app, accepted(invitation_id=event.invitation_id, commitment_years=9))

    (engagement,) = await rows(app, ENGAGEMENTS)
    assert engagement.committed_until == date(2029, 2, 28)
    assert await count(app, messaging.outbox) == 1


async def test_an_opened_engagement_can_be_listed_and_read_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    event = accepted()
    await deliver(app, event)

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


async def test_searching_filters_by_invitation_status_and_country(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    colombia = accepted()
    kenya = accepted(conflict=ConflictContext(name="Rift Valley", country="KE"))
    for event in (colombia, kenya):
        await deliver(app, event)

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
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any] | None
) -> None:
    response = await client.post("/engagements", json=body)

    assert response.status_code == 405
    error = response.json()["error"]
    assert error["code"] == "engagement_opens_from_invitation_only"
    assert [problem["field"] for problem in error["fields"]] == ["invitation_id"]
    assert await count(app, ENGAGEMENTS) == 0
    assert await count(app, messaging.outbox) == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"status": "bogus"}, "query.status", id="bad-status"),
        pytest.param({"country": "ZZ"}, "query.country", id="bad-country"),
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
