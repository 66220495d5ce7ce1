"""PUT /partners/{id}: the whole public profile and the contact people, replaced."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

CONTACT = {"name": "Ana María Torres", "email": "ana.torres@example.org", "role": "coordinator"}
REGISTERED = "multitrack.partner.registered.v1"
UPDATED = "multitrack.partner.updated.v1"


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


def a_profile(**changes: Any) -> dict[str, Any]:
    """The body of PUT /partners/{id}: the partner without its visibility."""
    body = {k: v for k, v in a_partner().items() if k != "visibility"}
    return {**body, **changes}


async def test_revising_a_partner_replaces_its_profile_and_contacts(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/partners", json=a_partner())).json()
    new_contact = {"name": "Luz Dary Pérez", "email": None, "role": None}
    body = a_profile(
        name="Red de Mujeres del Caribe Colombiano",
        tracks=[4, 6, 7],
        countries=["CO", "PA"],
        iati_org_type="24",
        contact_people=[new_contact],
    )

    response = await client.put(f"/partners/{created['id']}", json=body)

    assert response.status_code == 200
    revised = response.json()
    assert revised["name"] == "Red de Mujeres del Caribe Colombiano"
    assert revised["tracks"] == [4, 6, 7]
    assert revised["countries"] == ["CO", "PA"]
    assert revised["iati_org_type"] == "24"
    assert revised["contact_people"] == [new_contact]
    assert revised["owner_org"] == created["owner_org"]
    assert revised["registered_at"] == created["registered_at"]
    assert revised["updated_at"] is not None
    assert (await client.get(f"/partners/{created['id']}")).json() == revised


async def test_revising_a_partner_reindexes_its_countries_and_tracks_for_search(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/partners", json=a_partner(countries=["CO"], tracks=[4]))).json()

    await client.put(f"/partners/{created['id']}", json=a_profile(countries=["KE"], tracks=[7]))

    async def found(**params: Any) -> bool:
        return bool((await client.get("/partners", params=params)).json())

    assert not await found(country="CO")
    assert not await found(track=4)
    assert await found(country="KE")
    assert await found(track=7)


async def test_revising_a_partner_publishes_partner_updated_without_contacts(
    client: httpx.AsyncClient, db: Any
) -> None:
    created = (await client.post("/partners", json=a_partner())).json()

    await client.put(f"/partners/{created['id']}", json=a_profile(women_led=False))

    registered, updated = await db.outbox()
    assert registered.event_type == REGISTERED
    assert updated.event_type == UPDATED
    assert updated.message_key == created["id"]
    assert updated.data["partner_id"] == created["id"]
    assert updated.data["women_led"] is False
    assert updated.data["iati_org_type"] == "22"
    assert updated.data["updated_at"]
    assert "contact_people" not in updated.data
    assert CONTACT["name"] not in json.dumps(updated.data)


async def test_changing_only_the_contact_people_publishes_nothing(
    client: httpx.AsyncClient, db: Any
) -> None:
    created = (await client.post("/partners", json=a_partner())).json()
    other = {"name": "Luz Dary Pérez", "email": "luz@example.org", "role": None}

    response = await client.put(
        f"/partners/{created['id']}", json=a_profile(contact_people=[other])
    )

    assert response.json()["contact_people"] == [other]
    assert response.json()["updated_at"] is None
    assert [e.event_type for e in await db.outbox()] == [REGISTERED]


async def test_revising_an_unknown_partner_answers_404_and_writes_nothing(
    client: httpx.AsyncClient, db: Any
) -> None:
    response = await client.put("/partners/no-such-partner", json=a_profile())

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "partner_id"
    assert await db.count("partners") == 0
    assert await db.outbox() == []


INVALID_REVISIONS = [
    pytest.param(a_profile(owner_org="org-b"), "body.owner_org", id="owner-not-revisable"),
    pytest.param(a_profile(visibility="owner"), "body.visibility", id="visibility-not-revisable"),
    pytest.param(a_profile(countries=["XX"]), "body.countries.0", id="bad-country"),
    pytest.param(a_profile(tracks=[]), "body.tracks", id="no-track"),
    pytest.param(a_profile(iati_org_type="12"), "body.iati_org_type", id="bad-iati-type"),
    pytest.param(
        {k: v for k, v in a_profile().items() if k != "is_local"}, "body.is_local", id="missing"
    ),
]


@pytest.mark.parametrize(("body", "field"), INVALID_REVISIONS)
async def test_invalid_revision_answers_422_naming_the_field_and_changes_nothing(
    client: httpx.AsyncClient, db: Any, body: dict[str, Any], field: str
) -> None:
    created = (await client.post("/partners", json=a_partner())).json()
    before = await db.snapshot()

    response = await client.put(f"/partners/{created['id']}", json=body)

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await db.snapshot() == before
