"""Every change evaluation makes leaves an audit entry, written with it, naming who made it
(subject, organization, client: never a name) and the request it came in; consortium admins
read them at ``GET /audit``. A refused request leaves none (``test_access.py`` checks the
audit log with every other table)."""

from __future__ import annotations

import httpx
import jwt
import pytest

from multitrack_shared.testing.inprocess import ServiceTables
from multitrack_shared.testing.tokens import TokenSource, bearer

from .access_world import (
    ADD,
    ADJUST,
    COMPLETE,
    RECORD,
    RETIRE,
    REVISE,
    World,
    a_world,
    calls,
)
from .conftest import OWNER, Apply


@pytest.fixture
async def world(client: httpx.AsyncClient, apply: Apply) -> World:
    return await a_world(client, apply)


async def test_every_change_leaves_an_audit_entry_per_event_naming_its_caller_and_request(
    client: httpx.AsyncClient, world: World, db: ServiceTables, tokens: TokenSource
) -> None:
    evaluator = await tokens.for_client(OWNER, "evaluator")
    admin = await tokens.for_client(None, "consortium-admin")
    already = {row.event_id for row in await db.outbox()}
    requests: dict[str, str] = {}
    for operation, token in [
        (COMPLETE, evaluator),
        (RECORD, evaluator),
        (REVISE, evaluator),
        (RETIRE, evaluator),
        (ADJUST, admin),
        (ADD, admin),
    ]:
        done = await calls(world.shared)[operation].send(client, bearer(token))
        assert done.is_success, f"{operation}: {done.text}"
        requests[done.headers["X-Request-ID"]] = token

    audit = await client.get("/audit", params={"limit": 200}, auth=bearer(admin))

    assert audit.status_code == 200, audit.text
    entries = [e for e in audit.json()["entries"] if e["event_id"] not in already]
    published = [row for row in await db.outbox() if row.event_id not in already]
    assert [(e["action"], e["event_id"], e["record_id"]) for e in entries] == [
        (row.event_type, row.event_id, row.message_key) for row in published
    ]
    assert [e["record_type"] for e in entries] == [
        "evaluation", "lesson", "lesson", "lesson", "reference", "reference",
    ]  # fmt: skip
    assert {e["request_id"] for e in entries} == set(requests)
    for entry in entries:
        claims = jwt.decode(requests[entry["request_id"]], options={"verify_signature": False})
        actor = (entry["actor_kind"], entry["actor_subject"], entry["actor_organization"])
        assert actor == ("client", claims["sub"], (claims.get("organization") or [None])[0])
        assert entry["actor_client"] == claims["azp"]


async def test_an_evaluations_entry_names_its_engagement_and_the_audit_filters_by_record(
    client: httpx.AsyncClient, world: World, admin: httpx.Auth
) -> None:
    audit = await client.get("/audit", params={"record_id": world.private.engagement}, auth=admin)

    (completed,) = audit.json()["entries"]
    assert (completed["record_type"], completed["action"], completed["actor_organization"]) == (
        "evaluation",
        "multitrack.evaluation.completed.v1",
        OWNER,
    )
