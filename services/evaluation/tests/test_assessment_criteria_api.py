"""The criteria an invitation is assessed against, as reference data the consortium adjusts:
each names the standard procedure it bears on and whether it is essential, and every change
travels in ``multitrack.reference.changed.v1`` for the invitations service to keep.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_shared.reference import ASSESSMENT_CRITERIA, STANDARD_PROCEDURES
from multitrack_shared.testing.inprocess import client_of

from .test_reference_api import outbox

CRITERIA = "/reference/assessment_criterion"
WORDING = {
    "label": "Local partners are available",
    "description": "Local peacebuilders can join the work.",
    "active": True,
}
NEW_CRITERION = {
    "code": "safe_access",
    "label": "The site can be reached safely",
    "description": "Facilitators and participants can travel to meetings without danger.",
    "procedure": "engagement",
    "essential": True,
}


@pytest.fixture
async def client(app: FastAPI, admin: httpx.Auth) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, auth=admin) as client:
        yield client


async def test_the_default_criteria_cover_the_procedures_that_bear_on_a_decision(
    client: httpx.AsyncClient,
) -> None:
    criteria = (await client.get(CRITERIA)).json()

    assert [c["code"] for c in criteria] == [c.code for c in ASSESSMENT_CRITERIA]
    procedures = {c["procedure"] for c in criteria} - {None}
    assert procedures <= {p.code for p in STANDARD_PROCEDURES}
    assert {"invitation", "long_term_commitment", "relationship", "trust"} <= procedures
    assert {c["code"] for c in criteria if c["essential"]} == {
        "party_to_conflict",
        "five_year_capacity",
        "no_conflict_of_interest",
        "do_no_harm",
    }


async def test_marking_a_criterion_essential_keeps_its_procedure_and_publishes_both(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.put(f"{CRITERIA}/local_partners", json={**WORDING, "essential": True})

    assert response.status_code == 200, response.text
    assert (response.json()["procedure"], response.json()["essential"]) == ("partnership", True)
    (event,) = await outbox(app)
    assert event.message_key == "assessment_criterion:local_partners"
    assert (event.data["procedure"], event.data["essential"]) == ("partnership", True)


async def test_a_rewording_without_the_criterion_fields_keeps_them(
    client: httpx.AsyncClient,
) -> None:
    response = await client.put(f"{CRITERIA}/party_to_conflict", json=WORDING)

    assert response.status_code == 200
    assert (response.json()["procedure"], response.json()["essential"]) == ("invitation", True)


async def test_adding_a_criterion_places_it_last_and_publishes_its_bearing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post(CRITERIA, json=NEW_CRITERION)

    assert response.status_code == 201, response.text
    assert response.json() == {
        "kind": "assessment_criterion",
        **NEW_CRITERION,
        "active": True,
        "position": len(ASSESSMENT_CRITERIA) + 1,
        "origin": None,
    }
    (event,) = await outbox(app)
    assert (event.data["procedure"], event.data["essential"]) == ("engagement", True)


async def test_a_criterion_can_be_switched_off(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.put(f"{CRITERIA}/women_included", json={**WORDING, "active": False})

    assert response.status_code == 200
    (event,) = await outbox(app)
    assert event.data["active"] is False


@pytest.mark.parametrize(
    ("method", "path", "body", "code", "field"),
    [
        pytest.param(
            "POST",
            CRITERIA,
            {**NEW_CRITERION, "procedure": "astrology"},
            "unknown_procedure",
            "procedure",
            id="add-unknown-procedure",
        ),
        pytest.param(
            "PUT",
            f"{CRITERIA}/do_no_harm",
            {**WORDING, "procedure": "astrology"},
            "unknown_procedure",
            "procedure",
            id="move-to-unknown-procedure",
        ),
        pytest.param(
            "PUT",
            "/reference/standard_procedure/trust",
            {**WORDING, "essential": True},
            "criterion_only",
            "essential",
            id="essential-procedure",
        ),
        pytest.param(
            "POST",
            "/reference/standard_procedure",
            {**NEW_CRITERION, "essential": False},
            "criterion_only",
            "procedure",
            id="procedure-bearing-on-a-procedure",
        ),
    ],
)
async def test_a_bearing_that_makes_no_sense_answers_422_and_writes_nothing(
    client: httpx.AsyncClient,
    snapshot: Any,
    method: str,
    path: str,
    body: dict[str, Any],
    code: str,
    field: str,
) -> None:
    before = await snapshot()

    response = await client.request(method, path, json=body)

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == (code, field)
    assert await snapshot() == before


async def test_a_criterion_keeps_a_procedure_the_consortium_retired_until_moved(
    client: httpx.AsyncClient,
) -> None:
    retired = {"label": "Trust", "description": "No hidden agenda.", "active": False}
    assert (await client.put("/reference/standard_procedure/trust", json=retired)).is_success

    kept = await client.put(f"{CRITERIA}/no_conflict_of_interest", json=WORDING)
    moved_back = await client.put(
        f"{CRITERIA}/local_partners", json={**WORDING, "procedure": "trust"}
    )

    assert kept.status_code == 200
    assert kept.json()["procedure"] == "trust"
    assert moved_back.status_code == 422
