"""Evaluations checked against the reference data in use and what the digest knows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import an_evaluation, without


async def test_every_active_procedure_must_be_rated(
    client: httpx.AsyncClient, known_engagement: str, snapshot: Any
) -> None:
    before = await snapshot()

    response = await client.post(
        "/evaluations", json=without(an_evaluation(), "procedures", "empowerment")
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "procedure_missing"
    assert error["fields"][0]["field"] == "procedures.empowerment"
    assert await snapshot() == before


async def test_a_reworded_procedure_is_still_required_by_its_code(
    client: httpx.AsyncClient, known_engagement: str, admin: httpx.Auth
) -> None:
    reworded = {"label": "No hidden agenda", "description": "Purpose stated.", "active": True}
    rewording = await client.put("/reference/standard_procedure/trust", json=reworded, auth=admin)
    assert rewording.is_success

    missing = await client.post(
        "/evaluations", json=without(an_evaluation(), "procedures", "trust")
    )
    complete = await client.post("/evaluations", json=an_evaluation())

    assert missing.status_code == 422
    assert missing.json()["error"]["fields"][0]["field"] == "procedures.trust"
    assert complete.status_code == 201


async def test_an_added_procedure_is_required_and_a_deactivated_one_is_refused(
    client: httpx.AsyncClient, known_engagement: str, admin: httpx.Auth
) -> None:
    added = {"code": "do_no_harm", "label": "Do no harm", "description": "Dividers checked."}
    assert (await client.post("/reference/standard_procedure", json=added, auth=admin)).is_success
    off = {"label": "Engagement", "description": "Caring partners.", "active": False}
    deactivation = await client.put(
        "/reference/standard_procedure/engagement", json=off, auth=admin
    )
    assert deactivation.is_success

    old_list = await client.post("/evaluations", json=an_evaluation())
    body = without(an_evaluation(), "procedures", "engagement")
    body["procedures"]["do_no_harm"] = {"rating": "partly", "evidence": "two of three checked"}
    new_list = await client.post("/evaluations", json=body)

    assert old_list.status_code == 422
    assert old_list.json()["error"]["fields"][0]["field"] == "procedures.engagement"
    assert old_list.json()["error"]["code"] == "unknown_procedure"
    assert new_list.status_code == 201, new_list.text
    assert new_list.json()["procedures"]["do_no_harm"]["rating"] == "partly"


RULES = [
    pytest.param(
        an_evaluation("eng-unknown"), "engagement_id", "unknown_engagement", id="engagement"
    ),
    pytest.param(
        an_evaluation(period_start="2025-03-01", period_end="2025-02-28"),
        "period_end",
        "period_reversed",
        id="period-reversed",
    ),
    pytest.param(
        an_evaluation(period_start="2024-02-01"),
        "period_start",
        "before_engagement",
        id="period-before-the-engagement",
    ),
    pytest.param(
        an_evaluation(period_end="2099-12-31"),
        "period_end",
        "after_engagement",
        id="period-in-the-future",
    ),
    pytest.param(
        {
            **an_evaluation(),
            "procedures": {
                **an_evaluation()["procedures"],
                "astrology": {"rating": "met", "evidence": "stars"},
            },
        },
        "procedures.astrology",
        "unknown_procedure",
        id="unknown-procedure",
    ),
    pytest.param(
        an_evaluation(baseline_analysis_version=7),
        "baseline_analysis_version",
        "unknown_analysis_version",
        id="unknown-baseline",
    ),
]


@pytest.mark.parametrize(("body", "field", "code"), RULES)
async def test_an_evaluation_breaking_a_rule_answers_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient,
    known_engagement: str,
    snapshot: Any,
    body: dict[str, Any],
    field: str,
    code: str,
) -> None:
    before = await snapshot()

    response = await client.post("/evaluations", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == (code, field)
    assert await snapshot() == before
