"""The consortium's reference data: seeded from the defaults, reworded, (de)activated, grown.

The client here is the consortium admin, who alone changes it (who else may not is in
``test_access.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_evaluation.adapters.tables import messaging
from multitrack_evaluation.bootstrap import MIGRATIONS
from multitrack_shared.db.migrations import upgrade
from multitrack_shared.reference import ASSESSMENT_CRITERIA, DEFAULTS, STANDARD_PROCEDURES
from multitrack_shared.testing.inprocess import client_of

CHANGED = "multitrack.reference.changed.v1"
REWORDING = {
    "label": "Do no harm",
    "description": "Dividers and connectors checked against every activity.",
    "active": True,
}
NEW_PROCEDURE = {
    "code": "do_no_harm",
    "label": "Do no harm",
    "description": "Dividers and connectors checked against every activity.",
}


@pytest.fixture
async def client(app: FastAPI, admin: httpx.Auth) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, auth=admin) as client:
        yield client


async def outbox(app: FastAPI) -> list[Any]:
    query = select(messaging.outbox).order_by(messaging.outbox.c.seq)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def test_the_reference_data_starts_as_the_defaults_all_active(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/reference")

    assert response.status_code == 200
    items = response.json()
    assert [
        (i["kind"], i["code"], i["label"], i["position"], i["procedure"], i["essential"])
        for i in items
    ] == [
        (d.kind, d.code, d.label, d.position, d.procedure, d.essential)
        for d in DEFAULTS + ASSESSMENT_CRITERIA
    ]
    assert all(item["active"] for item in items)


async def test_one_kind_lists_only_its_items_in_order(client: httpx.AsyncClient) -> None:
    response = await client.get("/reference/standard_procedure")

    assert response.status_code == 200
    assert [i["code"] for i in response.json()] == [p.code for p in STANDARD_PROCEDURES]
    assert [i["code"] for i in (await client.get("/reference/track")).json()] == [
        str(n) for n in range(1, 10)
    ]


async def test_an_unknown_kind_answers_422_naming_the_path_parameter(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/reference/technique")

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "path.kind"


async def test_rewording_a_procedure_keeps_its_code_and_publishes_reference_changed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.put("/reference/standard_procedure/trust", json=REWORDING)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "kind": "standard_procedure",
        "code": "trust",
        **REWORDING,
        "position": 4,
        "procedure": None,
        "essential": False,
        "origin": None,
    }
    (event,) = await outbox(app)
    assert event.event_type == CHANGED
    assert event.message_key == "standard_procedure:trust"
    assert event.data["label"] == "Do no harm"
    assert event.data["active"] is True
    listed = (await client.get("/reference/standard_procedure")).json()
    assert listed[3]["label"] == "Do no harm"


async def test_deactivating_a_procedure_is_published_with_active_false(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.put(
        "/reference/standard_procedure/engagement", json={**REWORDING, "active": False}
    )

    assert response.status_code == 200
    assert response.json()["active"] is False
    (event,) = await outbox(app)
    assert event.data["code"] == "engagement"
    assert event.data["active"] is False


async def test_an_adjustment_that_changes_nothing_publishes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.put("/reference/standard_procedure/trust", json=REWORDING)

    again = await client.put("/reference/standard_procedure/trust", json=REWORDING)

    assert again.status_code == 200
    assert len(await outbox(app)) == 1


async def test_a_track_can_be_relabelled_but_not_deactivated(
    client: httpx.AsyncClient, snapshot: Any
) -> None:
    relabel = {"label": "Diplomacy", "description": "Official action.", "active": True}
    assert (await client.put("/reference/track/1", json=relabel)).status_code == 200
    before = await snapshot()

    response = await client.put("/reference/track/1", json={**relabel, "active": False})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "fixed_vocabulary"
    assert error["fields"][0]["field"] == "active"
    assert await snapshot() == before


async def test_adding_a_procedure_places_it_last_active_and_publishes_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post("/reference/standard_procedure", json=NEW_PROCEDURE)

    assert response.status_code == 201, response.text
    assert response.json() == {
        "kind": "standard_procedure",
        **NEW_PROCEDURE,
        "active": True,
        "position": 13,
        "procedure": None,
        "essential": False,
        "origin": None,
    }
    (event,) = await outbox(app)
    assert event.message_key == "standard_procedure:do_no_harm"
    codes = [i["code"] for i in (await client.get("/reference/standard_procedure")).json()]
    assert codes[-1] == "do_no_harm"


async def test_adding_a_procedure_whose_code_exists_answers_409(
    client: httpx.AsyncClient, snapshot: Any
) -> None:
    before = await snapshot()

    response = await client.post(
        "/reference/standard_procedure", json={**NEW_PROCEDURE, "code": "trust"}
    )

    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["field"] == "code"
    assert await snapshot() == before


@pytest.mark.parametrize("kind", ["track", "peacebuilding_kind"])
async def test_tracks_and_kinds_of_peacebuilding_cannot_grow(
    client: httpx.AsyncClient, snapshot: Any, kind: str
) -> None:
    before = await snapshot()

    response = await client.post(f"/reference/{kind}", json=NEW_PROCEDURE)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "fixed_vocabulary"
    assert error["fields"][0]["field"] == "kind"
    assert await snapshot() == before


async def test_adjusting_an_unknown_item_answers_404_naming_the_code(
    client: httpx.AsyncClient, snapshot: Any
) -> None:
    before = await snapshot()

    response = await client.put("/reference/standard_procedure/astrology", json=REWORDING)

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "code"
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        pytest.param("PUT", "/reference/standard_procedure/trust", {}, "body.label", id="empty"),
        pytest.param(
            "PUT",
            "/reference/standard_procedure/trust",
            {**REWORDING, "description": " "},
            "body.description",
            id="blank-description",
        ),
        pytest.param(
            "PUT",
            "/reference/standard_procedure/trust",
            {**REWORDING, "active": "perhaps"},
            "body.active",
            id="active-not-boolean",
        ),
        pytest.param(
            "PUT",
            "/reference/standard_procedure/trust",
            {**REWORDING, "code": "trust2"},
            "body.code",
            id="code-not-adjustable",
        ),
        pytest.param("PUT", "/reference/tracks/1", REWORDING, "path.kind", id="bad-kind"),
        pytest.param(
            "POST",
            "/reference/standard_procedure",
            {**NEW_PROCEDURE, "code": "Do No Harm"},
            "body.code",
            id="code-not-a-code",
        ),
        pytest.param(
            "POST",
            "/reference/standard_procedure",
            {k: v for k, v in NEW_PROCEDURE.items() if k != "label"},
            "body.label",
            id="no-label",
        ),
        pytest.param(
            "POST", "/reference/procedures", NEW_PROCEDURE, "path.kind", id="post-bad-kind"
        ),
    ],
)
async def test_invalid_adjustments_answer_422_naming_the_field_and_write_nothing(
    client: httpx.AsyncClient,
    snapshot: Any,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = await snapshot()

    response = await client.request(method, path, json=body)

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await snapshot() == before


async def test_migrating_again_at_a_restart_keeps_the_consortiums_wording(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # A restart runs the migrations to head; the defaults are seeded by the initial revision
    # only, so an adjusted wording survives it.
    await client.put("/reference/standard_procedure/trust", json=REWORDING)

    await upgrade(app.state.runtime.engine, MIGRATIONS)

    items = (await client.get("/reference")).json()
    assert len(items) == len(DEFAULTS) + len(ASSESSMENT_CRITERIA)
    assert next(i for i in items if i["code"] == "trust")["label"] == "Do no harm"


# --- the catalogue of methods ---------------------------------------------------------------

MINGA = {"code": "minga", "label": "Minga", "description": "Shared community work."}


async def test_a_method_is_catalogued_with_its_origin_and_published(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post("/reference/method", json={**MINGA, "origin": "indigenous"})

    assert response.status_code == 201, response.text
    assert (response.json()["origin"], response.json()["position"]) == ("indigenous", 1)
    (event,) = await outbox(app)
    assert (event.event_type, event.message_key) == (CHANGED, "method:minga")
    assert (event.data["origin"], event.data["active"]) == ("indigenous", True)
    listed = (await client.get("/reference/method")).json()
    assert [(m["code"], m["origin"]) for m in listed] == [("minga", "indigenous")]


async def test_a_method_retired_or_given_another_origin_is_published_again(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.post("/reference/method", json={**MINGA, "origin": "indigenous"})
    wording = {"label": "Minga", "description": "Shared community work."}

    moved = await client.put("/reference/method/minga", json={**wording, "active": True,
                                                             "origin": "local"})  # fmt: skip
    retired = await client.put("/reference/method/minga", json={**wording, "active": False})

    assert moved.status_code == retired.status_code == 200
    assert retired.json()["origin"] == "local"
    changes = [(e.data["origin"], e.data["active"]) for e in await outbox(app)]
    assert changes == [("indigenous", True), ("local", True), ("local", False)]


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        pytest.param("/reference/method", MINGA, "origin_required", id="method-without-origin"),
        pytest.param("/reference/standard_procedure", {**NEW_PROCEDURE, "origin": "local"},
                     "method_only", id="procedure-with-origin"),
    ],
)  # fmt: skip
async def test_only_a_method_has_an_origin_and_it_always_has_one(
    client: httpx.AsyncClient, snapshot: Any, path: str, body: dict[str, Any], code: str
) -> None:
    before = await snapshot()

    response = await client.post(path, json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["fields"][0]["field"] == "origin"
    assert await snapshot() == before
