"""/partners: registering, reading and searching partner organizations."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

CONTACT = {"name": "Ana María Torres", "email": "ana.torres@example.org", "role": "coordinator"}
REGISTERED = "multitrack.partner.registered.v1"


def a_partner(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "visibility": "consortium",
        "name": "Red de Mujeres del Caribe",
        "kind": "Women's organization",
        "tracks": [4, 6],
        "countries": ["co"],
        "is_local": True,
        "women_led": True,
        "womens_rights_org": True,
        "iati_org_id": "CO-NIT-900123456",
        "iati_org_type": 22,
        "contact_people": [CONTACT],
    }
    return {**body, **changes}


async def test_registering_a_partner_answers_201_with_the_partner(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/partners", json=a_partner())

    assert response.status_code == 201
    body = response.json()
    assert body["id"]
    assert body["kind"] == "women's organization"
    assert body["countries"] == ["CO"]
    assert body["tracks"] == [4, 6]
    assert body["iati_org_id"] == "CO-NIT-900123456"
    assert body["iati_org_type"] == "22"
    assert body["contact_people"] == [CONTACT]
    assert body["registered_at"]
    assert body["updated_at"] is None
    assert (body["owner_org"], body["visibility"]) == ("org-a", "consortium")


async def test_registering_a_partner_publishes_partner_registered_without_contacts(
    client: httpx.AsyncClient, db: Any
) -> None:
    response = await client.post("/partners", json=a_partner())

    (event,) = await db.outbox()
    assert event.event_type == REGISTERED
    assert event.message_key == response.json()["id"]
    assert event.data["partner_id"] == response.json()["id"]
    assert event.data["countries"] == ["CO"]
    assert event.data["iati_org_type"] == "22"
    assert event.data["ownership"] == {"owner_org": "org-a", "visibility": "consortium"}
    assert "contact_people" not in event.data
    serialized = json.dumps(event.data)
    assert CONTACT["name"] not in serialized
    assert CONTACT["email"] not in serialized


async def test_a_registered_partner_can_be_read_back_with_its_contacts(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/partners", json=a_partner())).json()

    response = await client.get(f"/partners/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_reading_an_unknown_partner_answers_404_with_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/partners/no-such-partner")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["fields"][0]["field"] == "partner_id"


INVALID = [
    pytest.param({k: v for k, v in a_partner().items() if k != "name"}, "body.name", id="missing"),
    pytest.param(a_partner(visibility="everyone"), "body.visibility", id="bad-enum"),
    pytest.param(a_partner(iati_org_type=99), "body.iati_org_type", id="bad-iati-type"),
    pytest.param(a_partner(iati_org_id="not an id"), "body.iati_org_id", id="bad-iati-id"),
    pytest.param(a_partner(tracks="4"), "body.tracks", id="wrong-type"),
    pytest.param(a_partner(is_local="perhaps"), "body.is_local", id="wrong-bool"),
    pytest.param(a_partner(countries=["XX"]), "body.countries.0", id="bad-country"),
    pytest.param(a_partner(countries=[]), "body.countries", id="no-country"),
    pytest.param(a_partner(countries=["CO", "co"]), "body.countries", id="duplicate-country"),
    pytest.param(a_partner(tracks=[4, 4]), "body.tracks", id="duplicate-track"),
    pytest.param(a_partner(tracks=[]), "body.tracks", id="no-track"),
    pytest.param(a_partner(tracks=[10]), "body.tracks.0", id="track-out-of-range"),
    pytest.param(
        a_partner(contact_people=[{"name": "Ana", "email": "nowhere"}]),
        "body.contact_people.0.email",
        id="bad-email",
    ),
    pytest.param(a_partner(secret="x"), "body.secret", id="unknown-field"),
    pytest.param(a_partner(owner_org="org-a"), "body.owner_org", id="owner-is-the-caller"),
    pytest.param(a_partner(owner_org="org-b"), "body.owner_org", id="forged-owner"),
]


@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_invalid_registration_answers_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient, db: Any, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/partners", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [problem["field"] for problem in error["fields"]]
    assert await db.count("partners") == 0
    assert await db.outbox() == []


async def test_a_repeated_track_is_reported_under_the_duplicate_rule(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/partners", json=a_partner(tracks=[2, 4, 2]))

    (problem,) = response.json()["error"]["fields"]
    assert problem == {
        "field": "body.tracks",
        "rule": "duplicate",
        "message": "values must not repeat: 2",
    }


async def test_searching_filters_by_country_track_locality_and_women_leadership(
    client: httpx.AsyncClient,
) -> None:
    local = a_partner(name="Local", countries=["CO"], tracks=[4], is_local=True, women_led=True)
    abroad = a_partner(
        name="Abroad", countries=["CO", "PE"], tracks=[2, 5], is_local=False, women_led=False
    )
    elsewhere = a_partner(name="Elsewhere", countries=["KE"], tracks=[4], women_led=False)
    for body in (local, abroad, elsewhere):
        assert (await client.post("/partners", json=body)).status_code == 201

    async def names(**params: Any) -> set[str]:
        response = await client.get("/partners", params=params)
        assert response.status_code == 200
        return {p["name"] for p in response.json()}

    assert await names() == {"Local", "Abroad", "Elsewhere"}
    assert await names(country="co") == {"Local", "Abroad"}
    assert await names(country="PE") == {"Abroad"}
    assert await names(track=4) == {"Local", "Elsewhere"}
    assert await names(country="CO", track=4) == {"Local"}
    assert await names(is_local="false") == {"Abroad"}
    assert await names(women_led="true") == {"Local"}
    assert await names(track=9) == set()


async def test_searching_pages_with_limit_and_offset(client: httpx.AsyncClient) -> None:
    for n in range(3):
        await client.post("/partners", json=a_partner(name=f"Partner {n}"))

    first = (await client.get("/partners", params={"limit": 2})).json()
    rest = (await client.get("/partners", params={"limit": 2, "offset": 2})).json()

    assert len(first) == 2
    assert len(rest) == 1
    assert {p["id"] for p in first}.isdisjoint({p["id"] for p in rest})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"country": "XX"}, "query.country", id="bad-country"),
        pytest.param({"track": 0}, "query.track", id="bad-track"),
        pytest.param({"limit": 0}, "query.limit", id="bad-limit"),
        pytest.param({"offset": -1}, "query.offset", id="bad-offset"),
        pytest.param({"is_local": "perhaps"}, "query.is_local", id="bad-bool"),
    ],
)
async def test_searching_with_a_bad_parameter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/partners", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == field
