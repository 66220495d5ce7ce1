"""POST /partnerships/{id}/end: a partnership ends once, on a last day not before its start."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

ENDED = "multitrack.partnership.ended.v1"


@pytest.fixture
async def partnership(client: httpx.AsyncClient, partner: dict[str, Any]) -> dict[str, Any]:
    """A running co-facilitation of the partner on eng-1, from 2026-04-01."""
    body = {
        "partner_id": partner["id"],
        "engagement_id": "eng-1",
        "role": "co_facilitator",
        "starts_on": "2026-04-01",
    }
    response = await client.post("/partnerships", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_ending_a_partnership_records_its_last_day_and_publishes_partnership_ended(
    client: httpx.AsyncClient, db: Any, partnership: dict[str, Any]
) -> None:

    response = await client.post(
        f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-09-30"}
    )

    assert response.status_code == 200
    assert response.json()["ends_on"] == "2026-09-30"
    assert response.json()["ended_at"] == "2026-03-02T09:30:00Z"
    event = (await db.outbox())[-1]
    assert event.event_type == ENDED
    assert event.message_key == "eng-1"
    assert event.data == {
        "partnership_id": partnership["id"],
        "engagement_id": "eng-1",
        "partner_id": partnership["partner_id"],
        "ends_on": "2026-09-30",
        "ended_at": "2026-03-02T09:30:00Z",
    }


async def test_ending_a_partnership_twice_is_a_conflict(
    client: httpx.AsyncClient, db: Any, partnership: dict[str, Any]
) -> None:
    await client.post(f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-09-30"})
    before = await db.snapshot()

    response = await client.post(
        f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-10-31"}
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "already_ended"
    assert error["fields"][0]["field"] == "ended_at"
    assert await db.snapshot() == before


async def test_ending_before_the_start_is_refused_naming_ends_on(
    client: httpx.AsyncClient, db: Any, partnership: dict[str, Any]
) -> None:
    before = await db.snapshot()

    response = await client.post(
        f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-01-01"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "ends_on"
    assert await db.snapshot() == before


async def test_ending_or_reading_an_unknown_partnership_answers_404(
    client: httpx.AsyncClient, db: Any
) -> None:
    ended = await client.post("/partnerships/nothing/end", json={"ends_on": "2026-09-30"})
    read = await client.get("/partnerships/nothing")

    for response in (ended, read):
        assert response.status_code == 404
        assert response.json()["error"]["fields"][0]["field"] == "partnership_id"
    assert await db.outbox() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({}, "body.ends_on", id="missing"),
        pytest.param({"ends_on": "tomorrow"}, "body.ends_on", id="bad-date"),
        pytest.param({"ends_on": "2026-09-30", "why": "x"}, "body.why", id="unknown-field"),
    ],
)
async def test_invalid_end_answers_422_naming_the_field_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Any,
    partnership: dict[str, Any],
    body: dict[str, Any],
    field: str,
) -> None:
    before = await db.snapshot()

    response = await client.post(f"/partnerships/{partnership['id']}/end", json=body)

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await db.snapshot() == before
