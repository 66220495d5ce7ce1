"""Ending well and dates that make sense, through the HTTP API: the inviter's withdrawal (an
event) moves the engagement to closing; the commitment extends; an exit plan comes before
closing, which takes the final evaluation (an event) or the reason there is none; follow-ups
go on after closure and count; activities fall within the engagement's life and horizon."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from multitrack_engagements.domain.dates import DEFAULT_HORIZON_DAYS
from multitrack_engagements.domain.engagement import engagement_id_for
from multitrack_shared.events.evaluation import EvaluationCompleted
from multitrack_shared.events.invitations import InvitationWithdrawnV2

from .conftest import (
    NOW,
    Api,
    Database,
    Deliver,
    MovableClock,
    OpenEngagement,
    activity_body,
    an_acceptance,
)

CLOSED = "multitrack.engagement.closed.v1"


async def test_withdrawing_the_invitation_moves_its_engagement_to_closing(
    deliver: Deliver, api: Api, db: Database
) -> None:
    acceptance = an_acceptance()
    await deliver(acceptance)
    engagement_id = engagement_id_for(acceptance.invitation_id)
    withdrawal = InvitationWithdrawnV2(
        invitation_id=acceptance.invitation_id, withdrawn_at=datetime(2025, 1, 10, tzinfo=UTC)
    )

    await deliver(withdrawal)
    await deliver(withdrawal)  # redelivered: nothing more

    shown = (await api.client.get(f"/engagements/{engagement_id}")).json()
    assert (shown["status"], shown["closing_reason"]) == ("closing", "invitation_withdrawn")
    assert shown["history"][-1]["at"] == "2025-01-10T00:00:00Z"
    changes = [r.data for r in await db.outbox() if "status_changed" in r.event_type]
    assert [(c["to_status"], c["reason"]) for c in changes] == [("closing", "invitation_withdrawn")]


async def test_a_coordinator_cannot_give_the_withdrawal_as_a_reason(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    before = await db.snapshot()

    response = await api.status(engagement_id, "closing", reason="invitation_withdrawn")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "reason_reserved"
    assert await db.snapshot() == before


async def test_the_commitment_extends_to_a_later_end_only(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    url = f"/engagements/{engagement_id}/extension"

    extended = await api.client.post(url, json={"committed_until": "2031-12-31"})
    before = await db.snapshot()
    shortened = await api.client.post(url, json={"committed_until": "2030-01-01"})

    assert extended.status_code == 200, extended.text
    assert extended.json()["committed_until"] == "2031-12-31"
    assert extended.json()["ending"]["extensions"][0]["previous_until"] == "2029-02-28"
    assert extended.headers["ETag"] == f'"{engagement_id}.2"'
    assert shortened.status_code == 422
    assert shortened.json()["error"]["code"] == "extension_not_later"
    assert await db.snapshot() == before
    (event,) = [r for r in await db.outbox() if "commitment_extended" in r.event_type]
    assert event.data["committed_until"] == "2031-12-31"


async def test_closing_needs_an_exit_plan_then_takes_the_final_evaluation(
    open_engagement: OpenEngagement,
    api: Api,
    db: Database,
    deliver: Deliver,
    now: MovableClock,
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    assert (await api.status(engagement_id, "closing", reason="safety")).status_code == 200
    unplanned = await api.status(engagement_id, "closed", no_final_evaluation_reason="None")
    assert (await api.exit_plan(engagement_id)).status_code == 200
    unevaluated = await api.status(engagement_id, "closed")
    await deliver(
        EvaluationCompleted(
            evaluation_id="ev-final",
            engagement_id=engagement_id,
            period_start=date(2024, 3, 1),
            period_end=NOW.date(),
            dac_scores={},
            procedure_adherence={},
            completed_at=NOW + timedelta(days=1),
        )
    )
    now.moment = NOW + timedelta(days=2)

    closed = await api.status(engagement_id, "closed")

    assert unplanned.status_code == 409
    assert unplanned.json()["error"]["code"] == "exit_plan_required"
    assert unevaluated.status_code == 422
    assert unevaluated.json()["error"]["code"] == "final_evaluation_required"
    assert closed.status_code == 200, closed.text
    assert closed.json()["ending"]["closure"] == {
        "final_evaluation_id": "ev-final",
        "no_final_evaluation_reason": None,
    }
    (closure,) = [r for r in await db.outbox() if r.event_type == CLOSED]
    assert closure.data["final_evaluation_id"] == "ev-final"


async def test_an_exit_plan_with_dates_that_make_no_sense_answers_422(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    early = await api.exit_plan(engagement_id, planned_end_on="2023-12-31")
    reversed_ = await api.exit_plan(engagement_id, follow_up_until="2028-01-01")

    assert early.json()["error"]["code"] == "before_engagement"
    assert reversed_.json()["error"]["code"] == "follow_up_before_end"
    assert [early.status_code, reversed_.status_code] == [422, 422]
    assert await db.snapshot() == before


async def test_follow_ups_go_on_after_closure_and_count_on_the_engagement(
    open_engagement: OpenEngagement, api: Api
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    await api.status(engagement_id, "closing", reason="mutual_agreement")
    closed = await api.close(engagement_id)
    url = f"/engagements/{engagement_id}/follow-ups"

    recorded = await api.client.post(
        url, json={"held_on": "2026-03-01", "participants_reached": 14, "using_skills": 9}
    )
    tomorrow = await api.client.post(
        url, json={"held_on": "2026-03-04", "participants_reached": 3, "using_skills": 1}
    )
    too_many = await api.client.post(
        url, json={"held_on": "2026-03-01", "participants_reached": 3, "using_skills": 4}
    )

    assert closed.status_code == 200, closed.text
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["after_closure"] is True
    assert tomorrow.json()["error"]["code"] == "beyond_horizon"
    assert too_many.json()["error"]["code"] == "more_than_reached"
    shown = (await api.client.get(f"/engagements/{engagement_id}")).json()
    assert shown["ending"]["follow_ups"] == {
        "recorded": 1,
        "after_closure": 1,
        "participants_reached": 14,
        "using_skills": 9,
    }
    assert [f["held_on"] for f in (await api.client.get(url)).json()] == ["2026-03-01"]


@pytest.mark.parametrize(
    ("held_on", "code"),
    [
        pytest.param("2024-02-28", "before_engagement", id="before-the-start"),
        pytest.param(
            (NOW.date() + timedelta(days=DEFAULT_HORIZON_DAYS + 2)).isoformat(),
            "beyond_horizon",
            id="past-the-horizon",
        ),
    ],
)
async def test_an_activity_outside_the_engagements_life_answers_422_naming_held_on(
    open_engagement: OpenEngagement, api: Api, db: Database, held_on: str, code: str
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    response = await api.client.post(
        f"/engagements/{engagement_id}/activities",
        json=activity_body(held_on=held_on),
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == (code, "held_on")
    assert await db.snapshot() == before


async def test_an_activity_planned_within_the_horizon_is_recorded(
    open_engagement: OpenEngagement, api: Api
) -> None:
    engagement_id = await open_engagement()
    ahead = (NOW.date() + timedelta(days=DEFAULT_HORIZON_DAYS)).isoformat()

    recorded = await api.activity(engagement_id, held_on=ahead)

    assert recorded["held_on"] == ahead
