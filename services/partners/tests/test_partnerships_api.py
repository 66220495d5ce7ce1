"""/partnerships: a partner's role on an engagement known from the engagements service."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

FORMED = "multitrack.partnership.formed.v1"


def a_partnership(partner: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "partner_id": partner["id"],
        "engagement_id": "eng-1",
        "role": "co_facilitator",
        "starts_on": "2026-04-01",
        "ends_on": None,
    }
    return {**body, **changes}


async def formed(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/partnerships", json=body)
    assert response.status_code == 201, response.text
    partnership: dict[str, Any] = response.json()
    return partnership


async def test_forming_a_partnership_answers_201_with_the_engagements_owner(
    client: httpx.AsyncClient, partner: dict[str, Any]
) -> None:
    response = await client.post("/partnerships", json=a_partnership(partner))

    assert response.status_code == 201
    body = response.json()
    assert body["id"]
    assert body["partner_id"] == partner["id"]
    assert body["engagement_id"] == "eng-1"
    assert body["owner_org"] == "org-a"
    assert body["visibility"] == "consortium"
    assert body["role"] == "co_facilitator"
    assert body["starts_on"] == "2026-04-01"
    assert body["ends_on"] is None
    assert body["ended_at"] is None


async def test_forming_publishes_partnership_formed_with_the_partners_profile(
    client: httpx.AsyncClient, db: Any, partner: dict[str, Any]
) -> None:
    partnership = await formed(client, a_partnership(partner, ends_on="2027-03-31"))

    event = (await db.outbox())[-1]
    assert event.event_type == FORMED
    assert event.message_key == "eng-1"
    assert event.data == {
        "partnership_id": partnership["id"],
        "engagement_id": "eng-1",
        "partner_id": partner["id"],
        "role": "co_facilitator",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
        "partner_name": "Red de Mujeres del Caribe",
        "partner_tracks": [4, 6],
        "partner_is_local": True,
        "partner_women_led": True,
        "formed_at": "2026-03-02T09:30:00Z",
    }


async def test_a_partnership_with_an_unknown_partner_is_refused_naming_partner_id(
    client: httpx.AsyncClient, db: Any, partner: dict[str, Any]
) -> None:
    before = await db.snapshot()

    response = await client.post("/partnerships", json=a_partnership({"id": "nobody"}))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_partner"
    assert error["fields"][0]["field"] == "partner_id"
    assert await db.snapshot() == before


async def test_a_partnership_on_an_engagement_not_known_from_events_is_refused(
    client: httpx.AsyncClient, db: Any, partner: dict[str, Any]
) -> None:
    before = await db.snapshot()

    response = await client.post(
        "/partnerships", json=a_partnership(partner, engagement_id="eng-unheard-of")
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_engagement"
    assert error["fields"][0]["field"] == "engagement_id"
    assert await db.snapshot() == before


async def test_a_partnership_cannot_end_before_it_starts(
    client: httpx.AsyncClient, db: Any, partner: dict[str, Any]
) -> None:
    before = await db.snapshot()

    response = await client.post(
        "/partnerships", json=a_partnership(partner, starts_on="2026-04-01", ends_on="2026-03-31")
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "ends_before_start"
    assert error["fields"][0]["field"] == "ends_on"
    assert await db.snapshot() == before


async def test_a_partnership_may_last_a_single_day(
    client: httpx.AsyncClient, partner: dict[str, Any]
) -> None:
    body = a_partnership(partner, starts_on="2026-04-01", ends_on="2026-04-01")

    assert (await client.post("/partnerships", json=body)).status_code == 201


async def test_the_same_role_twice_at_once_on_an_engagement_is_a_conflict(
    client: httpx.AsyncClient, db: Any, partner: dict[str, Any]
) -> None:
    await formed(client, a_partnership(partner, starts_on="2026-04-01", ends_on="2026-12-31"))
    before = await db.snapshot()

    response = await client.post(
        "/partnerships", json=a_partnership(partner, starts_on="2026-12-31")
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "role_already_held"
    assert error["fields"][0]["field"] == "role"
    assert await db.snapshot() == before


async def test_another_role_or_a_later_period_or_another_engagement_is_allowed(
    client: httpx.AsyncClient, open_engagement: Any, partner: dict[str, Any]
) -> None:
    await open_engagement("eng-2")
    await formed(client, a_partnership(partner, starts_on="2026-04-01", ends_on="2026-12-31"))

    for changes in (
        {"role": "trainer"},
        {"starts_on": "2027-01-01"},
        {"engagement_id": "eng-2"},
    ):
        response = await client.post("/partnerships", json=a_partnership(partner, **changes))
        assert response.status_code == 201, changes


async def test_a_partnership_can_be_read_back_and_searched_by_engagement_and_partner(
    client: httpx.AsyncClient, register: Any, open_engagement: Any, partner: dict[str, Any]
) -> None:
    await open_engagement("eng-2")
    other = await register(name="Universidad de Cartagena")
    first = await formed(client, a_partnership(partner))
    second = await formed(client, a_partnership(other, role="researcher"))
    third = await formed(client, a_partnership(partner, engagement_id="eng-2"))

    async def ids(**params: Any) -> list[str]:
        response = await client.get("/partnerships", params=params)
        assert response.status_code == 200
        return sorted(p["id"] for p in response.json())

    assert (await client.get(f"/partnerships/{first['id']}")).json() == first
    assert await ids() == sorted([first["id"], second["id"], third["id"]])
    assert await ids(engagement_id="eng-1") == sorted([first["id"], second["id"]])
    assert await ids(partner_id=partner["id"]) == sorted([first["id"], third["id"]])
    assert await ids(engagement_id="eng-2", partner_id=other["id"]) == []
    assert len((await client.get("/partnerships", params={"limit": 2})).json()) == 2


INVALID = [
    pytest.param({"partner_id": None}, "body.partner_id", id="no-partner"),
    pytest.param({"engagement_id": ""}, "body.engagement_id", id="blank-engagement"),
    pytest.param({"role": "sponsor"}, "body.role", id="bad-role"),
    pytest.param({"role": "co-facilitator"}, "body.role", id="hyphenated-role"),
    pytest.param({"starts_on": "someday"}, "body.starts_on", id="bad-start"),
    pytest.param({"ends_on": "2026-02-30"}, "body.ends_on", id="impossible-end"),
    pytest.param({"owner_org": "org-a"}, "body.owner_org", id="unknown-field"),
]


@pytest.mark.parametrize(("changes", "field"), INVALID)
async def test_invalid_input_answers_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient,
    db: Any,
    partner: dict[str, Any],
    changes: dict[str, Any],
    field: str,
) -> None:
    before = await db.snapshot()

    response = await client.post("/partnerships", json=a_partnership(partner, **changes))

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await db.snapshot() == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"limit": 501}, "query.limit", id="bad-limit"),
        pytest.param({"offset": "x"}, "query.offset", id="bad-offset"),
        pytest.param({"engagement_id": ""}, "query.engagement_id", id="blank-engagement"),
    ],
)
async def test_searching_with_a_bad_parameter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/partnerships", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == field
