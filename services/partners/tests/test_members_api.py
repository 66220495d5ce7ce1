"""/members: the organizations of the consortium and their roles, changed by consortium admins
(who make every request here unless one says otherwise)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_shared.testing.inprocess import client_of
from multitrack_shared.testing.tokens import TokenSource

JOINED = "multitrack.member.joined.v1"


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    """The app as the consortium admin."""
    async with client_of(app, auth=tokens.auth(None, "consortium-admin")) as client:
        yield client


def a_member(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Institute for Multi-Track Diplomacy",
        "roles": ["Lead", "implementer"],
        "joined_on": "2025-09-01",
    }
    return {**body, **changes}


async def test_joining_answers_201_with_the_member_and_its_roles_as_codes(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/members", json=a_member())

    assert response.status_code == 201
    body = response.json()
    assert body["id"]
    assert body["name"] == "Institute for Multi-Track Diplomacy"
    assert body["roles"] == ["lead", "implementer"]
    assert body["joined_on"] == "2025-09-01"
    assert body["joined_at"] == "2025-09-01T00:00:00Z"


async def test_joining_publishes_member_joined_keyed_by_the_member(
    client: httpx.AsyncClient, db: Any
) -> None:
    member = (await client.post("/members", json=a_member())).json()

    (event,) = await db.outbox()
    assert event.event_type == JOINED
    assert event.message_key == member["id"]
    assert event.data == {
        "member_id": member["id"],
        "name": "Institute for Multi-Track Diplomacy",
        "roles": ["lead", "implementer"],
        "joined_at": "2025-09-01T00:00:00Z",
        "organization": None,
        "iati_org_id": None,
        "iati_org_type": None,
    }


async def test_a_member_names_its_organization_and_iati_identity_and_publishes_them(
    client: httpx.AsyncClient, db: Any
) -> None:
    identity = {"organization": "org-a", "iati_org_id": "CO-NIT-900123456", "iati_org_type": 22}

    response = await client.post("/members", json=a_member(**identity))

    assert response.status_code == 201, response.text
    published = {**identity, "iati_org_type": "22"}
    assert {k: response.json()[k] for k in identity} == published
    (event,) = await db.outbox()
    assert {k: event.data[k] for k in identity} == published


async def test_one_member_per_organization(client: httpx.AsyncClient, db: Any) -> None:
    await client.post("/members", json=a_member(organization="org-a"))
    before = await db.outbox()

    again = await client.post("/members", json=a_member(name="Other", organization="org-a"))

    assert again.status_code == 409, again.text
    assert await db.outbox() == before


async def test_a_member_that_says_no_date_joins_now(client: httpx.AsyncClient) -> None:
    body = {k: v for k, v in a_member().items() if k != "joined_on"}

    member = (await client.post("/members", json=body)).json()

    assert member["joined_on"] == "2026-03-02"
    assert member["joined_at"] == "2026-03-02T09:30:00Z"


async def test_a_member_can_be_read_back(client: httpx.AsyncClient) -> None:
    member = (await client.post("/members", json=a_member())).json()

    response = await client.get(f"/members/{member['id']}")

    assert response.status_code == 200
    assert response.json() == member


async def test_members_are_listed_by_name_and_filtered_by_role(client: httpx.AsyncClient) -> None:
    for name, roles in [("Zeta Fund", ["funder"]), ("Alpha Lab", ["research", "implementer"])]:
        await client.post("/members", json=a_member(name=name, roles=roles))

    everyone = (await client.get("/members")).json()
    funders = (await client.get("/members", params={"role": "FUNDER"})).json()
    implementers = (await client.get("/members", params={"role": "implementer"})).json()

    assert [m["name"] for m in everyone] == ["Alpha Lab", "Zeta Fund"]
    assert [m["name"] for m in funders] == ["Zeta Fund"]
    assert [m["name"] for m in implementers] == ["Alpha Lab"]


async def test_members_are_paged_with_limit_and_offset(client: httpx.AsyncClient) -> None:
    for name in ("A", "B", "C"):
        await client.post("/members", json=a_member(name=name))

    page = (await client.get("/members", params={"limit": 1, "offset": 1})).json()

    assert [m["name"] for m in page] == ["B"]


async def test_an_organization_cannot_join_twice_whatever_the_case_of_its_name(
    client: httpx.AsyncClient, db: Any
) -> None:
    await client.post("/members", json=a_member())
    before = await db.snapshot()

    response = await client.post(
        "/members", json=a_member(name="institute for  multi-track DIPLOMACY")
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "member_exists"
    assert error["fields"][0]["field"] == "name"
    assert await db.snapshot() == before


async def test_a_member_cannot_join_on_a_day_still_to_come(
    client: httpx.AsyncClient, db: Any
) -> None:
    response = await client.post("/members", json=a_member(joined_on="2026-03-03"))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "joined_in_future"
    assert error["fields"][0]["field"] == "joined_on"
    assert await db.count("members") == 0
    assert await db.outbox() == []


INVALID = [
    pytest.param({"roles": ["lead"]}, "body.name", id="missing-name"),
    pytest.param(a_member(name="  "), "body.name", id="blank-name"),
    pytest.param(a_member(roles=[]), "body.roles", id="no-role"),
    pytest.param(a_member(roles=["lead", "LEAD"]), "body.roles", id="duplicate-role"),
    pytest.param(a_member(roles="lead"), "body.roles", id="roles-not-a-list"),
    pytest.param(a_member(roles=[""]), "body.roles.0", id="blank-role"),
    pytest.param(a_member(joined_on="1st of May"), "body.joined_on", id="bad-date"),
    pytest.param(a_member(owner_org="org-a"), "body.owner_org", id="unknown-field"),
]


@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_invalid_input_answers_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient, db: Any, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/members", json=body)

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await db.count("members") == 0
    assert await db.count("member_roles") == 0
    assert await db.outbox() == []


async def test_reading_an_unknown_member_answers_404_naming_the_member(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/members/nobody")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "member_id"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"limit": 0}, "query.limit", id="bad-limit"),
        pytest.param({"offset": -1}, "query.offset", id="bad-offset"),
        pytest.param({"role": ""}, "query.role", id="blank-role"),
    ],
)
async def test_listing_with_a_bad_parameter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/members", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == field
