"""An invitation names the consortium's shared record of its conflict: one the service learnt
from the engagements service's ``conflict.*`` events (applied here as the consumer does), seen
by the caller and in the invitation's country; the acceptance carries it on to the engagement.
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
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.conflicts import ConflictRegistered, ConflictRevised
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

subscription = Subscription[InvitationsUnitOfWork](handlers)
AT = datetime(2025, 2, 1, tzinfo=UTC)


def registered(conflict_id: str, **changes: Any) -> ConflictRegistered:
    fields: dict[str, Any] = {
        "conflict_id": conflict_id,
        "ownership": Ownership(owner_org="org-b"),
        "name": "Montes de María land conflict",
        "country": "CO",
        "registered_at": AT,
    }
    return ConflictRegistered(**{**fields, **changes})


def naming(conflict_id: str, **conflict: Any) -> dict[str, Any]:
    body = invitation_body()
    return {**body, "conflict": {**body["conflict"], "conflict_id": conflict_id, **conflict}}


async def test_an_invitation_naming_a_shared_conflict_carries_it_to_its_acceptance(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await apply_events(app, subscription, [registered("c-1")])

    received = await client.post("/invitations", json=naming("c-1"))
    invitation_id = received.json()["id"]
    assessed = await client.put(f"/invitations/{invitation_id}/assessment", json=assessment_body())
    accepted = await client.post(f"/invitations/{invitation_id}/decision", json=acceptance_body())

    assert received.status_code == 201, received.text
    assert received.json()["conflict"]["conflict_id"] == "c-1"
    assert assessed.status_code == 200, assessed.text
    assert accepted.status_code == 200, accepted.text
    query = select(messaging.outbox.c.event_type, messaging.outbox.c.data)
    async with app.state.runtime.engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    conflicts = {kind: data["conflict"]["conflict_id"] for kind, data in rows if "conflict" in data}
    assert conflicts == {
        "multitrack.invitation.received.v2": "c-1",
        "multitrack.invitation.accepted.v2": "c-1",
    }


async def test_an_unknown_hidden_or_elsewhere_conflict_is_refused_and_nothing_is_kept(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    await apply_events(
        app,
        subscription,
        [
            registered(
                "c-private", ownership=Ownership(owner_org="org-b", visibility=Visibility.owner)
            ),
            registered("c-kenya", country="KE"),
            registered("c-moved", country="KE"),
            ConflictRevised(
                conflict_id="c-moved",
                ownership=Ownership(owner_org="org-b"),
                name="Montes de María land conflict",
                country="CO",
                revised_at=AT,
            ),
        ],
    )

    unknown = await client.post("/invitations", json=naming("c-none"))
    hidden = await client.post("/invitations", json=naming("c-private"))
    elsewhere = await client.post("/invitations", json=naming("c-kenya"))
    revised_here = await client.post("/invitations", json=naming("c-moved"))
    own = await client.post(
        "/invitations", json=naming("c-private"), auth=tokens.auth("org-b", "coordinator")
    )

    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_conflict")
    assert unknown.json()["error"]["fields"][0]["field"] == "conflict.conflict_id"
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (422, "unknown_conflict")
    assert (elsewhere.status_code, elsewhere.json()["error"]["code"]) == (
        422,
        "conflict_elsewhere",
    )
    assert revised_here.status_code == 201, revised_here.text
    assert own.status_code == 201, own.text
    listed = (await client.get("/invitations")).json()
    # the refused ones kept nothing; org-b's own invitation is consortium-visible
    assert sorted(i["conflict"]["conflict_id"] for i in listed) == ["c-moved", "c-private"]
