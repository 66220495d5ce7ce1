"""The engagement's status machine over HTTP: listening → active once every side is heard,
active ↔ paused, closing (early only for a recorded reason), closed; events published."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import Api, Database, MovableClock, OpenEngagement

STATUS_CHANGED = "multitrack.engagement.status_changed.v2"
CLOSED = "multitrack.engagement.closed.v1"

# --- the status machine over HTTP ------------------------------------------------------------


async def test_an_engagement_becomes_active_only_once_every_side_was_heard(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.analysis(engagement_id)
    await api.heard(engagement_id, side="land claimants")

    refused = await api.status(engagement_id, "active")
    await api.heard(engagement_id, side="Returning Families")
    accepted = await api.status(engagement_id, "active")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "listening_incomplete"
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
    (change,) = [row for row in await db.outbox() if row.event_type == STATUS_CHANGED]
    assert change.data["from_status"] == "listening"
    assert change.data["to_status"] == "active"


async def test_without_a_conflict_analysis_listening_is_never_complete(
    open_engagement: OpenEngagement, api: Api
) -> None:
    engagement_id = await open_engagement()
    await api.heard(engagement_id)

    response = await api.status(engagement_id, "active")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "listening_incomplete"


async def test_an_active_engagement_pauses_resumes_and_keeps_its_history(
    open_engagement: OpenEngagement, api: Api, now: MovableClock
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)

    paused = await api.status(engagement_id, "paused", note="Rainy season; roads closed.")
    now.moment = datetime(2026, 5, 2, tzinfo=UTC)
    resumed = await api.status(engagement_id, "active")

    assert paused.json()["status"] == "paused"
    assert resumed.status_code == 200
    history = resumed.json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("listening", "active"),
        ("active", "paused"),
        ("paused", "active"),
    ]
    assert history[1]["note"] == "Rainy season; roads closed."
    assert history[2]["at"] == "2026-05-02T00:00:00Z"


@pytest.mark.parametrize(
    ("path", "to"),
    [
        pytest.param([], "paused", id="listening-to-paused"),
        pytest.param([], "closing", id="listening-to-closing"),
        pytest.param([], "closed", id="listening-to-closed"),
        pytest.param([], "listening", id="listening-to-listening"),
        pytest.param(["active"], "closed", id="active-to-closed"),
        pytest.param(["active"], "listening", id="back-to-listening"),
        pytest.param(["active", "paused"], "paused", id="paused-to-paused"),
        pytest.param(["active", "closing"], "active", id="closing-to-active"),
        pytest.param(["active", "closing", "closed"], "active", id="closed-is-final"),
        pytest.param(["active", "closing", "closed"], "closing", id="closed-to-closing"),
    ],
)
async def test_a_transition_the_status_machine_does_not_have_answers_409_and_changes_nothing(
    open_engagement: OpenEngagement, api: Api, db: Database, path: list[str], to: str
) -> None:
    engagement_id = await open_engagement()
    await api.listened_to_every_side(engagement_id)
    for step in path:
        response = await (
            api.close(engagement_id)
            if step == "closed"
            else api.status(engagement_id, step, reason="mutual_agreement")
        )
        assert response.status_code == 200, response.text
    before = await db.snapshot()

    response = await api.status(engagement_id, to, reason="safety")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert [f["field"] for f in error["fields"]] == ["to"]
    assert await db.snapshot() == before


async def test_closing_before_the_commitment_ends_without_a_reason_answers_422_naming_reason(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    before = await db.snapshot()

    response = await api.status(engagement_id, "closing", note="We would rather stop.")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "reason_required"
    assert [f["field"] for f in error["fields"]] == ["reason"]
    assert await db.snapshot() == before


async def test_closing_early_for_a_recorded_reason_then_closing_publishes_an_early_closure(
    open_engagement: OpenEngagement, api: Api, db: Database, now: MovableClock
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)

    closing = await api.status(
        engagement_id, "closing", reason="safety", note="Armed groups returned to the area."
    )
    now.moment = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    closed = await api.close(engagement_id)

    assert closing.status_code == 200, closing.text
    assert closing.json()["closing_reason"] == "safety"
    assert closed.json()["status"] == "closed"
    outbox = await db.outbox()
    changes = [row.data for row in outbox if row.event_type == STATUS_CHANGED]
    assert [(c["to_status"], c["reason"]) for c in changes] == [
        ("active", None),
        ("closing", "safety"),
        ("closed", None),
    ]
    assert "Armed groups" not in str([row.data for row in outbox])  # the note stays here
    (closure,) = [row for row in outbox if row.event_type == CLOSED]
    assert closure.data["early"] is True
    assert closure.data["reason"] == "safety"
    assert closure.data["closed_at"] == "2026-04-01T12:00:00Z"
    assert outbox[-1].event_type == CLOSED


async def test_closing_after_the_commitment_ends_needs_no_reason_and_is_not_early(
    open_engagement: OpenEngagement, api: Api, db: Database, now: MovableClock
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    now.moment = datetime(2029, 2, 28, 8, 0, tzinfo=UTC)

    closing = await api.status(engagement_id, "closing")
    closed = await api.close(engagement_id)

    assert closing.status_code == 200, closing.text
    assert closed.status_code == 200, closed.text
    (closure,) = [row for row in await db.outbox() if row.event_type == CLOSED]
    assert closure.data["early"] is False
    assert closure.data["reason"] is None


async def test_changing_the_status_of_an_unknown_engagement_answers_404(
    api: Api,
) -> None:
    response = await api.status("no-such-engagement", "active")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "engagement_id"
