"""The partners API in-process, on a temporary SQLite file, with no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where these
tests read them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from multitrack_partners.adapters.tables import messaging, metadata
from multitrack_partners.bootstrap import PartnersSettings
from multitrack_partners.main import create_app

CONTACT = {"name": "Ana María Torres", "email": "ana.torres@example.org", "role": "coordinator"}


def a_partner(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "owner_org": "imtd",
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


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = PartnersSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/partners.db",
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
    async with httpx.AsyncClient(transport=transport, base_url="http://partners") as client:
        yield client


async def rows(app: FastAPI, table: Table) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(select(table))).all())


async def count(app: FastAPI, table: Table) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


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


async def test_registering_a_partner_publishes_partner_registered_without_contacts(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post("/partners", json=a_partner())

    outbox = await rows(app, messaging.outbox)
    assert len(outbox) == 1
    (event,) = outbox
    assert event.event_type == "multitrack.partner.registered.v1"
    assert event.message_key == response.json()["id"]
    assert event.data["partner_id"] == response.json()["id"]
    assert event.data["countries"] == ["CO"]
    assert event.data["ownership"] == {"owner_org": "imtd", "visibility": "consortium"}
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
]


@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_invalid_input_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/partners", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [problem["field"] for problem in error["fields"]]
    assert await count(app, metadata.tables["partners"]) == 0
    assert await count(app, messaging.outbox) == 0


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


async def test_searching_with_a_bad_country_answers_422_naming_the_query_parameter(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/partners", params={"country": "XX"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.country"
