"""Every change of an invitation leaves an audit entry, written with the change: who acted
(never a name), what was done, in which request. Consortium admins read them at GET /audit."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import Connection

from multitrack_invitations.adapters.tables import AUDIT_LOG, messaging, metadata
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OWNER

SUPPORT = "Ana Ruiz asks for a facilitator."


async def audit_entries(app: FastAPI) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(select(AUDIT_LOG).order_by(AUDIT_LOG.c.seq))).all())


async def outbox(app: FastAPI) -> list[Any]:
    query = select(messaging.outbox).order_by(messaging.outbox.c.seq)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def subject_of(tokens: TokenSource, organization: str | None, role: str) -> str:
    token = await tokens.for_client(organization, role)
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


async def test_each_change_is_audited_with_its_caller_request_and_event(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    created = await client.post(
        "/invitations",
        json=invitation_body(support_requested=SUPPORT),
        headers={"X-Request-ID": "req-receive"},
    )
    invitation_id = created.json()["id"]
    one = f"/invitations/{invitation_id}"
    steps = [
        ("PUT", "assessment", assessment_body()),
        ("POST", "decision", acceptance_body()),
        ("POST", "withdrawal", {"reason": "Ana Ruiz withdrew."}),
    ]
    for method, step, body in steps:
        done = await client.request(
            method, f"{one}/{step}", json=body, headers={"X-Request-ID": f"req-{step}"}
        )
        assert done.status_code == 200, done.text
    await client.get(one)  # a read changes nothing, and is not audited

    entries = await audit_entries(app)
    events = await outbox(app)
    subject = await subject_of(tokens, OWNER, "coordinator")
    assert [(e.record_type, e.record_id, e.action, e.request_id) for e in entries] == [
        ("invitation", invitation_id, f"multitrack.invitation.{happened}", f"req-{step}")
        for happened, step in [
            ("received.v2", "receive"),
            ("assessed.v1", "assessment"),
            ("accepted.v2", "decision"),
            ("withdrawn.v2", "withdrawal"),
        ]
    ]
    assert [e.event_id for e in entries] == [e.event_id for e in events]
    assert {
        (e.actor_kind, e.actor_subject, e.actor_organization, e.actor_client) for e in entries
    } == {("client", subject, OWNER, f"{OWNER}-coordinator")}
    assert not [v for e in entries for v in e if isinstance(v, str) and "Ana Ruiz" in v]


async def test_a_person_acting_is_audited_by_subject_never_by_name(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    person = tokens.auth(OWNER, "coordinator", person=True)
    username = tokens.consortium.user(OWNER, "coordinator").username

    created = await client.post("/invitations", json=invitation_body(), auth=person)

    assert created.status_code == 201, created.text
    (entry,) = await audit_entries(app)
    token = await tokens.for_person(OWNER, "coordinator")
    assert entry.actor_kind == "person"
    assert entry.actor_subject == jwt.decode(token, options={"verify_signature": False})["sub"]
    assert username not in [v for v in entry if isinstance(v, str)]


async def test_a_refused_change_is_not_audited(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    invitation_id = (await client.post("/invitations", json=invitation_body())).json()["id"]
    before = await audit_entries(app)

    refusals = [
        await client.request("POST", "/invitations", json=invitation_body(), auth=None),
        await client.post(
            "/invitations", json=invitation_body(), auth=tokens.auth(OWNER, "evaluator")
        ),
        await client.put(
            f"/invitations/{invitation_id}/assessment",
            json=assessment_body(),
            auth=tokens.auth("org-b", "coordinator"),
        ),
        await client.post(f"/invitations/{invitation_id}/decision", json=acceptance_body()),
    ]

    assert [r.status_code for r in refusals] == [401, 403, 403, 409]
    assert await audit_entries(app) == before


async def test_consortium_admins_read_the_audit_of_invitations_and_nobody_else_does(
    client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    ours = (await client.post("/invitations", json=invitation_body())).json()["id"]
    theirs = (
        await client.post(
            "/invitations", json=invitation_body(), auth=tokens.auth("org-b", "coordinator")
        )
    ).json()["id"]
    admin = tokens.auth(None, "consortium-admin")

    of_ours = await client.get("/audit", params={"record_id": ours}, auth=admin)
    of_org_b = await client.get("/audit", params={"organization": "org-b"}, auth=admin)
    refused = [
        await client.get("/audit", auth=auth)
        for auth in (None, tokens.auth(OWNER, "coordinator"), tokens.auth(OWNER, "evaluator"))
    ]

    assert [e["record_id"] for e in of_ours.json()["entries"]] == [ours]
    assert [e["record_id"] for e in of_org_b.json()["entries"]] == [theirs]
    assert [r.status_code for r in refused] == [401, 403, 403]


async def test_the_migrated_database_is_what_the_tables_declare(app: FastAPI) -> None:
    def differences(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    async with app.state.runtime.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
