"""Intake over HTTP: what an invitation records, the rules at intake, and the search filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_shared.http.deps import clock
from multitrack_shared.ports import Clock
from multitrack_shared.testing.samples import invitation_body

INVITATIONS = metadata.tables["invitations"]


async def written(app: FastAPI) -> tuple[int, int]:
    """How many invitations and outbox rows there are: a refused request changes neither."""
    async with app.state.runtime.engine.connect() as connection:
        counts = [
            (await connection.execute(select(func.count()).select_from(table))).scalar()
            for table in (INVITATIONS, messaging.outbox)
        ]
    return int(counts[0] or 0), int(counts[1] or 0)


def at(moment: datetime) -> Callable[[], Clock]:
    def dependency() -> Clock:
        return lambda: moment

    return dependency


def field_names(response: httpx.Response) -> list[str]:
    return [problem["field"] for problem in response.json()["error"]["fields"]]


def with_inviter(**changes: Any) -> dict[str, Any]:
    return invitation_body(inviter={**invitation_body()["inviter"], **changes})


def with_conflict(**changes: Any) -> dict[str, Any]:
    return invitation_body(conflict={**invitation_body()["conflict"], **changes})


async def received(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    response = await client.post("/invitations", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_an_invitation_records_who_invites_the_conflict_and_how_and_when_it_arrived(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    description = "Returning families and land claimants dispute holdings abandoned in 2000."
    body = invitation_body(
        conflict={**invitation_body()["conflict"], "description": description},
        channel="intermediary",
        arrived_on="2025-02-20",
        other_parties_aware=False,
    )
    app.dependency_overrides[clock] = at(datetime(2025, 3, 1, 9, 30, tzinfo=UTC))

    response = await client.post("/invitations", json=body)
    stored = (await client.get(f"/invitations/{response.json()['id']}")).json()

    assert response.status_code == 201, response.text
    assert stored["inviter"] == body["inviter"]
    assert stored["conflict"] == {
        **body["conflict"],
        "description": description,
        "conflict_id": None,
    }
    assert stored["support_requested"] == body["support_requested"]
    assert stored["channel"] == "intermediary"
    assert stored["arrived_on"] == "2025-02-20"
    assert stored["received_at"].startswith("2025-03-01T09:30:00")
    assert stored["other_parties_aware"] is False


async def test_an_invitation_with_no_arrival_day_arrived_the_day_it_was_received(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.dependency_overrides[clock] = at(datetime(2025, 3, 1, 9, 30, tzinfo=UTC))

    invitation_id = await received(client, invitation_body())

    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert stored["arrived_on"] == "2025-03-01"


INTAKE_RULES = [
    pytest.param(
        invitation_body(arrived_on="2025-03-05"), "arrived_on", "arrived_in_future", id="future"
    ),
    pytest.param(with_inviter(side=None), "inviter.side", "side_required", id="party-no-side"),
]


@pytest.mark.parametrize(("body", "field", "code"), INTAKE_RULES)
async def test_breaking_an_intake_rule_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str, code: str
) -> None:
    app.dependency_overrides[clock] = at(datetime(2025, 3, 1, 9, 30, tzinfo=UTC))

    response = await client.post("/invitations", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert field_names(response) == [field]
    assert await written(app) == (0, 0)


INVALID_INTAKE = [
    pytest.param(invitation_body(arrived_on="yesterday"), "body.arrived_on", id="bad-date"),
    pytest.param(invitation_body(channel=""), "body.channel", id="blank-channel"),
    pytest.param(invitation_body(other_parties_aware="perhaps"), "body.other_parties_aware"),
    pytest.param(with_conflict(description="  "), "body.conflict.description", id="blank-desc"),
    pytest.param(with_conflict(phase="p" * 81), "body.conflict.phase", id="long-phase"),
    pytest.param(with_conflict(region=""), "body.conflict.region", id="blank-region"),
    pytest.param(with_inviter(is_party_to_conflict=None), "body.inviter.is_party_to_conflict"),
    pytest.param(with_inviter(kind=""), "body.inviter.kind", id="blank-kind"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_INTAKE)
async def test_an_invalid_intake_field_answers_422_naming_it_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/invitations", json=body)

    assert response.status_code == 422
    assert field in field_names(response), field_names(response)
    assert await written(app) == (0, 0)


async def test_searching_filters_by_region_conflict_type_phase_and_inviter_side(
    client: httpx.AsyncClient,
) -> None:
    montes = await received(client, invitation_body())
    cauca = await received(
        client,
        invitation_body(
            conflict={"name": "Cauca", "country": "CO", "region": "Cauca", "phase": "escalation"},
            inviter={**invitation_body()["inviter"], "side": "indigenous councils"},
        ),
    )
    rift = await received(
        client,
        invitation_body(
            conflict={
                "name": "Rift Valley",
                "country": "KE",
                "region": "Rift Valley",
                "conflict_type": "resource",
                "phase": "post-agreement",
            },
            inviter={**invitation_body()["inviter"], "is_party_to_conflict": False, "side": None},
        ),
    )

    async def found(**params: Any) -> set[str]:
        response = await client.get("/invitations", params=params)
        assert response.status_code == 200, response.text
        return {invitation["id"] for invitation in response.json()}

    assert await found(region="Caribbean region") == {montes}
    assert await found(region="  cauca ") == {cauca}
    assert await found(conflict_type="land") == {montes}
    assert await found(conflict_type="RESOURCE") == {rift}
    assert await found(phase="post-agreement") == {montes, rift}
    assert await found(phase="escalation") == {cauca}
    assert await found(inviter_side="Rural Communities") == {montes}
    assert await found(inviter_side="indigenous councils", country="CO") == {cauca}
    assert await found(phase="post-agreement", country="KE") == {rift}
    assert await found(region="Cauca", phase="post-agreement") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"region": " "}, "query.region", id="blank-region"),
        pytest.param({"conflict_type": "t" * 81}, "query.conflict_type", id="long-type"),
        pytest.param({"phase": ""}, "query.phase", id="blank-phase"),
        pytest.param({"inviter_side": "s" * 201}, "query.inviter_side", id="long-side"),
    ],
)
async def test_searching_with_a_bad_new_filter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/invitations", params=params)

    assert response.status_code == 422
    assert field_names(response) == [field]
