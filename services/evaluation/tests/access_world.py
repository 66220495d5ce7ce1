"""The records the access tests act on, and one call of each operation of the service.

Two engagements of org-a as evaluation knows them (one consortium-visible, one owner-only),
each with an evaluation and a lesson of the same visibility; ``calls`` names how to call
every operation on one such set of records, keyed as ``METHOD /path/{param}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.testing.access_matrix import Call, operations_calls

from .conftest import OWNER, Apply, an_evaluation, analysis, opened

SECRET = "Back-channel talks with an armed group"

COMPLETE = "POST /evaluations"
EVALUATIONS = "GET /evaluations"
EVALUATION = "GET /evaluations/{evaluation_id}"
RECORD = "POST /lessons"
LESSONS = "GET /lessons"
LESSON = "GET /lessons/{lesson_id}"
REVISE = "PUT /lessons/{lesson_id}"
RETIRE = "POST /lessons/{lesson_id}/retirement"
ENGAGEMENTS = "GET /engagements"
OVERDUE = "GET /engagements/overdue"
DIGEST = "GET /engagements/{engagement_id}/digest"
CONFLICT_TRENDS = "GET /conflicts/{conflict_id}/trends"
REFERENCE = "GET /reference"
REFERENCE_KIND = "GET /reference/{kind}"
ADJUST = "PUT /reference/{kind}/{code}"
ADD = "POST /reference/{kind}"
AUDIT = "GET /audit"
DEFINE = "POST /attitude-instruments"
INSTRUMENTS = "GET /attitude-instruments"
MEASURE = "POST /attitude-measurements"
MEASUREMENTS = "GET /engagements/{engagement_id}/attitude-measurements"

EVALUATORS_WRITE = [COMPLETE, RECORD, REVISE, RETIRE, DEFINE, MEASURE]
"""The operations of the owning organization's evaluators."""
ADMINS_WRITE = [ADJUST, ADD]
"""The reference data: the consortium admins'."""
CHANGES_OF_ONE = [COMPLETE, REVISE, RETIRE]
"""The changes made to (or under) one record of an organization."""
READS_OF_ONE = [EVALUATION, LESSON, DIGEST, CONFLICT_TRENDS]
WITH_BODY = [*EVALUATORS_WRITE, *ADMINS_WRITE]


@dataclass(frozen=True)
class Records:
    """An engagement of org-a as evaluation knows it, an evaluation of it, a lesson, and the
    conflict it works on (no other engagement's)."""

    engagement: str
    evaluation: str
    lesson: str
    conflict: str


MISSING = Records("no-such-engagement", "no-such-evaluation", "no-such-lesson", "no-such-conflict")


def a_lesson(**changes: Any) -> dict[str, Any]:
    body = {
        "statement": "Hear returning families before the land claimants' lawyers.",
        "evidence": "Interviews with Ana Ruiz and two other returning families.",
        "confidence": "medium",
        "context": {"countries": ["CO"], "tracks": [4]},
    }
    return {**body, **changes}


def an_instrument(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "label": "Acceptance of returning families",
        "items": ["I would buy from their shop."],
        "scale_low": 1,
        "scale_high": 5,
    }


def a_measurement(engagement_id: str) -> dict[str, Any]:
    return {
        "engagement_id": engagement_id,
        "instrument": "acceptance",
        "side": "claimants",
        "administered_on": "2024-06-01",
        "respondents": 12,
        "item_means": [3.5],
    }


def calls(records: Records) -> dict[str, Call]:
    """One call of each operation of the service; those on one record act on these."""
    lesson = f"/lessons/{records.lesson}"
    return {
        COMPLETE: Call("POST", "/evaluations", an_evaluation(records.engagement)),
        EVALUATIONS: Call("GET", "/evaluations"),
        EVALUATION: Call("GET", f"/evaluations/{records.evaluation}"),
        RECORD: Call("POST", "/lessons", a_lesson()),
        LESSONS: Call("GET", "/lessons"),
        LESSON: Call("GET", lesson),
        REVISE: Call("PUT", lesson, a_lesson(statement="Hear returning families first.")),
        RETIRE: Call("POST", f"{lesson}/retirement", {"reason": "Contradicted in 2026."}),
        ENGAGEMENTS: Call("GET", "/engagements"),
        OVERDUE: Call("GET", "/engagements/overdue"),
        DIGEST: Call("GET", f"/engagements/{records.engagement}/digest"),
        CONFLICT_TRENDS: Call("GET", f"/conflicts/{records.conflict}/trends"),
        REFERENCE: Call("GET", "/reference"),
        REFERENCE_KIND: Call("GET", "/reference/standard_procedure"),
        ADJUST: Call(
            "PUT",
            "/reference/standard_procedure/trust",
            {"label": "No hidden agenda", "description": "Purpose stated.", "active": True},
        ),
        ADD: Call(
            "POST",
            "/reference/standard_procedure",
            {"code": "do_no_harm", "label": "Do no harm", "description": "Dividers checked."},
        ),
        AUDIT: Call("GET", "/audit"),
        DEFINE: Call("POST", "/attitude-instruments", an_instrument("trust_in_neighbours")),
        INSTRUMENTS: Call("GET", "/attitude-instruments"),
        MEASURE: Call("POST", "/attitude-measurements", a_measurement(records.engagement)),
        MEASUREMENTS: Call("GET", f"/engagements/{records.engagement}/attitude-measurements"),
        **operations_calls(),
    }


@dataclass(frozen=True)
class World:
    shared: Records
    """Consortium-visible, of org-a."""
    private: Records
    """Owner-only, of org-a, about back-channel talks with an armed group."""


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def created_instrument(client: httpx.AsyncClient) -> None:
    response = await client.post("/attitude-instruments", json=an_instrument("acceptance"))
    assert response.status_code == 201, response.text


async def records_of(
    client: httpx.AsyncClient, apply: Apply, engagement_id: str, visibility: Visibility, name: str
) -> Records:
    ownership = Ownership(owner_org=OWNER, visibility=visibility)
    conflict_id = f"conflict-of-{engagement_id}"
    conflict = {"name": name, "country": "CO", "conflict_id": conflict_id}
    await apply(opened(engagement_id, ownership=ownership, conflict=conflict))
    await apply(analysis(1, engagement_id))
    evaluation = await created(client, "/evaluations", an_evaluation(engagement_id))
    body = a_lesson(visibility=visibility.value, statement=f"{name}: hear every side first.")
    lesson = await created(client, "/lessons", body)
    return Records(engagement_id, evaluation, lesson, conflict_id)


async def a_world(client: httpx.AsyncClient, apply: Apply) -> World:
    """The records of org-a, made as org-a's evaluator (``client``), and the instrument its
    measurements use."""
    await created_instrument(client)
    shared = await records_of(client, apply, "eng-shared", Visibility.consortium, "Land dispute")
    private = await records_of(client, apply, "eng-private", Visibility.owner, SECRET)
    return World(shared, private)
