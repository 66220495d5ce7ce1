"""/trainers: the consortium's catalogue of trainers. A coordinator catalogues a trainer for
its organization; the name is personal (the owning organization's people see it, nobody else,
and no event carries it); who reads a trainer follows its visibility."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_partners.application import projections
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Database, a_trainer, method_changed

CATALOGUED = "multitrack.trainer.catalogued.v1"


async def test_a_trainer_is_catalogued_and_published_without_the_name(
    client: httpx.AsyncClient, db: Database
) -> None:
    response = await client.post("/trainers", json=a_trainer())

    assert response.status_code == 201, response.text
    trainer = response.json()
    assert response.headers["ETag"] == f'"{trainer["id"]}.1"'
    assert (trainer["owner_org"], trainer["visibility"], trainer["name"]) == (
        OWNER,
        "consortium",
        "Luz Mery Díaz",
    )
    assert trainer["methods"] == ["palabrero_circle", "minga"]
    (event,) = await db.outbox()
    assert (event.event_type, event.message_key) == (CATALOGUED, trainer["id"])
    assert event.data["methods"] == ["palabrero_circle", "minga"]
    assert (event.data["organization"], event.data["local"]) == ("Tejiendo Paz", True)
    assert "Luz Mery" not in str(event.data)
    assert (await client.get(f"/trainers/{trainer['id']}")).json() == trainer
    assert (await client.get("/trainers")).json() == [trainer]


async def test_another_organization_sees_a_shared_trainer_without_name_and_not_an_own_one(
    client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    shared = (await client.post("/trainers", json=a_trainer())).json()
    own = (await client.post("/trainers", json=a_trainer(visibility="owner"))).json()
    other = tokens.auth(OTHER, "coordinator")

    listed = (await client.get("/trainers", auth=other)).json()
    hidden = await client.get(f"/trainers/{own['id']}", auth=other)

    assert listed == [{**shared, "name": None}]
    assert hidden.status_code == 404
    assert hidden.json()["error"]["fields"][0]["field"] == "trainer_id"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(a_trainer(name=" "), "body.name", id="blank-name"),
        pytest.param(a_trainer(methods=[]), "body.methods", id="no-method"),
        pytest.param(a_trainer(methods=["minga", "Minga"]), "body.methods", id="method-twice"),
        pytest.param(a_trainer(local="yes"), "body.local", id="local-not-a-flag"),
        pytest.param(a_trainer(owner_org=OTHER), "body.owner_org", id="owner-sent"),
    ],
)
async def test_a_bad_trainer_answers_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], field: str
) -> None:
    before = await db.snapshot()

    response = await client.post("/trainers", json=body)

    assert response.status_code == 422
    assert field in [f["field"] for f in response.json()["error"]["fields"]]
    assert await db.snapshot() == before


async def test_a_trainer_naming_a_method_the_catalogue_lacks_or_retired_is_refused(
    app: FastAPI, client: httpx.AsyncClient, db: Database
) -> None:
    await apply_events(
        app,
        Subscription({ReferenceChanged: projections.on_reference_changed}),
        [method_changed("minga", active=False, days=1)],
    )

    unknown = await client.post("/trainers", json=a_trainer(methods=["palabrero_circle", "yoga"]))
    retired = await client.post("/trainers", json=a_trainer(methods=["minga"]))

    assert [(r.status_code, r.json()["error"]["code"]) for r in (unknown, retired)] == [
        (422, "unknown_method"),
        (422, "unknown_method"),
    ]
    assert unknown.json()["error"]["fields"][0]["field"] == "methods.1"
    assert await db.outbox() == []
    assert (await client.get("/trainers")).json() == []
