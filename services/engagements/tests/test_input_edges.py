"""The engagements API at its edge: out-of-range numbers, the refused create call, control and
bidirectional characters, each refused with the error body before anything is written."""

from __future__ import annotations

import httpx
import pytest

from .conftest import Database, OpenEngagement

LIAISON = {
    "institution": "Gobernación de Bolívar",
    "kind": "briefing",
    "held_on": "2025-04-10",
    "summary": "Briefed on the dialogue's progress.",
}


@pytest.mark.parametrize("version", [2**31, 2**63])
async def test_an_analysis_version_past_what_a_database_holds_is_a_422_not_an_overflow(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, version: int
) -> None:
    engagement_id = await open_engagement()

    response = await client.get(f"/engagements/{engagement_id}/analyses/{version}")

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "path.version"


async def test_the_refused_create_call_names_the_one_method_the_collection_allows(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/engagements", json={})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["error"]["code"] == "engagement_opens_from_invitation_only"


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("institution", "Gobernación\x00", "control_character"),
        ("institution", "Gobernación\nde Bolívar", "control_character"),
        ("summary", "Briefed \u202don progress.", "bidi_control"),
    ],
)
async def test_a_liaison_entry_with_a_control_or_override_is_refused_and_not_written(
    open_engagement: OpenEngagement,
    client: httpx.AsyncClient,
    db: Database,
    field: str,
    value: str,
    rule: str,
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/liaison", json={**LIAISON, field: value}
    )

    assert response.status_code == 422
    assert [(p["field"], p["rule"]) for p in response.json()["error"]["fields"]] == [
        (f"body.{field}", rule)
    ]
    assert await db.snapshot() == before


async def test_a_liaison_summary_keeps_its_line_breaks(
    open_engagement: OpenEngagement, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()
    summary = "Briefed on:\n- the dialogue's progress;\n- next steps."

    response = await client.post(
        f"/engagements/{engagement_id}/liaison", json={**LIAISON, "summary": summary}
    )

    assert response.status_code == 201, response.text
    assert response.json()["summary"] == summary
