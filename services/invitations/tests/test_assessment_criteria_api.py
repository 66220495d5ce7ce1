"""The criteria an invitation is assessed against, through the HTTP API: the consortium's
changes (``reference.changed`` events applied as the consumer does) decide what an assessment
needs a verdict on, and an essential criterion left unknown is overridden like an unmet one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_invitations.adapters.tables import messaging
from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.consumers import handlers
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.samples import (
    CRITERIA,
    acceptance_body,
    assessment_body,
    invitation_body,
)

subscription = Subscription[InvitationsUnitOfWork](handlers)
ACCEPTED = "multitrack.invitation.accepted.v2"


def criterion_changed(code: str, **changes: Any) -> ReferenceChanged:
    fields: dict[str, Any] = {
        "key": f"assessment_criterion:{code}",
        "kind": "assessment_criterion",
        "code": code,
        "label": "The site can be reached safely",
        "description": "Facilitators and participants travel without danger.",
        "active": True,
        "procedure": "engagement",
        "essential": True,
        "changed_at": datetime(2025, 2, 1, tzinfo=UTC),
    }
    return ReferenceChanged.model_validate({**fields, **changes})


def with_unknown(*codes: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    body = body or assessment_body()
    for code in codes:
        body["verdicts"][code] = {"verdict": "unknown", "note": "not known yet"}
    return body


async def received(client: httpx.AsyncClient) -> str:
    created = await client.post("/invitations", json=invitation_body())
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def accepted_events(app: FastAPI) -> list[Any]:
    query = select(messaging.outbox).where(messaging.outbox.c.event_type == ACCEPTED)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def test_the_criteria_in_force_follow_the_consortiums_changes(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    before = (await client.get("/assessment-criteria")).json()

    await apply_events(
        app,
        subscription,
        [criterion_changed("safe_access"), criterion_changed("women_included", active=False)],
    )
    after = (await client.get("/assessment-criteria")).json()

    assert [c["code"] for c in before] == list(CRITERIA)
    assert next(c for c in before if c["code"] == "do_no_harm")["essential"] is True
    assert [c["code"] for c in after] == [c for c in CRITERIA if c != "women_included"] + [
        "safe_access"
    ]
    assert after[-1] == {
        "code": "safe_access",
        "label": "The site can be reached safely",
        "description": "Facilitators and participants travel without danger.",
        "procedure": "engagement",
        "essential": True,
    }


async def test_an_assessment_follows_the_criteria_in_force(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)
    await apply_events(app, subscription, [criterion_changed("safe_access")])
    url = f"/invitations/{invitation_id}/assessment"

    missing = await client.put(url, json=assessment_body())
    complete = assessment_body()
    complete["verdicts"]["safe_access"] = {"verdict": "met", "note": "roads open"}
    done = await client.put(url, json=complete)

    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "verdict_missing"
    assert missing.json()["error"]["fields"][0]["field"] == "verdicts.safe_access"
    assert done.status_code == 200, done.text
    assert "safe_access" in done.json()["assessment"]["essential"]


async def test_accepting_with_an_essential_criterion_unknown_needs_an_override(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)
    one = f"/invitations/{invitation_id}"
    assessed = await client.put(f"{one}/assessment", json=with_unknown("five_year_capacity"))

    refused = await client.post(f"{one}/decision", json=acceptance_body())
    overridden = await client.post(
        f"{one}/decision",
        json=acceptance_body(
            overrides={"five_year_capacity": "Years four and five are pledged by a second member."}
        ),
    )

    assert assessed.json()["assessment"]["needing_override"] == ["five_year_capacity"]
    assert assessed.json()["assessment"]["unmet"] == []
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == (
        "override_required",
        "overrides.five_year_capacity",
    )
    assert overridden.status_code == 200, overridden.text
    (event,) = await accepted_events(app)
    assert event.data["overridden_criteria"] == ["five_year_capacity"]


async def test_an_unknown_verdict_on_a_criterion_not_essential_is_accepted_without_override(
    client: httpx.AsyncClient,
) -> None:
    invitation_id = await received(client)
    one = f"/invitations/{invitation_id}"
    await client.put(f"{one}/assessment", json=with_unknown("local_wisdom"))

    response = await client.post(f"{one}/decision", json=acceptance_body())

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
