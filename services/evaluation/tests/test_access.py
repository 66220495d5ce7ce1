"""Who may do what in evaluation: every operation, called as every kind of caller.

Evaluators of the owning organization complete evaluations and record, revise and retire
lessons; consortium admins alone change the reference data and read the audit; every
platform role reads. A caller without a valid token is refused everywhere. Every refusal
writes nothing: not the records, not the outbox, not the audit log. (What each caller sees
of another organization's records: ``test_visibility.py``.)
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from multitrack_shared.http.auth import unguarded_operations
from multitrack_shared.testing.access_matrix import (
    Call,
    protected_operations,
    refused,
    unverifiable,
)
from multitrack_shared.testing.inprocess import ServiceTables
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .access_world import (
    ADMINS_WRITE,
    COMPLETE,
    EVALUATORS_WRITE,
    MISSING,
    RECORD,
    RETIRE,
    REVISE,
    SECRET,
    WITH_BODY,
    World,
    a_world,
    calls,
)
from .conftest import OTHER, OWNER, Apply


@pytest.fixture
async def world(client: httpx.AsyncClient, apply: Apply) -> World:
    return await a_world(client, apply)


def test_every_operation_of_the_service_is_in_the_matrix_and_takes_a_caller(app: FastAPI) -> None:
    assert sorted(calls(MISSING)) == protected_operations(app)
    assert unguarded_operations(app) == []


@pytest.mark.parametrize("operation", sorted(calls(MISSING)))
async def test_without_a_valid_token_every_operation_answers_401_and_writes_nothing(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    expired_token: str,
    operation: str,
) -> None:
    call = calls(world.private)[operation]
    unverifiable_credentials = await unverifiable(tokens, expired_token, OWNER, "evaluator")

    for auth, code in unverifiable_credentials:
        response = await refused(client, call, auth=auth, status=401, code=code, stored=db.snapshot)
        assert SECRET not in response.text


@pytest.mark.parametrize("operation", EVALUATORS_WRITE)
async def test_a_role_too_weak_in_the_owning_organization_answers_403_and_writes_nothing(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    operation: str,
) -> None:
    call = calls(world.private)[operation]
    weak = [tokens.auth(OWNER, "coordinator"), tokens.auth(OWNER, "partner-system"), org_a_observer]

    for auth in weak:
        await refused(client, call, auth=auth, status=403, code="role_required", stored=db.snapshot)

    done = await call.send(client, tokens.auth(OWNER, "evaluator"))
    assert done.is_success, done.text  # the same call, as the owning organization's evaluator


@pytest.mark.parametrize("operation", ADMINS_WRITE)
async def test_only_a_consortium_admin_changes_the_reference_data(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    consortium_observer: BearerAuth,
    org_a_observer: BearerAuth,
    admin: httpx.Auth,
    operation: str,
) -> None:
    call = calls(world.shared)[operation]
    members = [
        tokens.auth(org, role)
        for org in (OWNER, OTHER)
        for role in ("evaluator", "coordinator", "partner-system")
    ]
    observers = [org_a_observer, consortium_observer]

    for auth in [*members, *observers]:
        await refused(client, call, auth=auth, status=403, code="role_required", stored=db.snapshot)

    done = await call.send(client, admin)
    assert done.is_success, done.text


@pytest.mark.parametrize(
    ("operation", "code"),
    [
        (COMPLETE, "role_required"),
        (RECORD, "role_required"),
        (REVISE, "not_owner"),
        (RETIRE, "not_owner"),
    ],
)
async def test_a_consortium_admin_completes_no_evaluation_and_writes_no_lesson(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    admin: httpx.Auth,
    operation: str,
    code: str,
) -> None:
    call = calls(world.shared)[operation]

    await refused(client, call, auth=admin, status=403, code=code, stored=db.snapshot)


@pytest.mark.parametrize("operation", WITH_BODY)
async def test_a_body_naming_an_owner_is_refused_and_writes_nothing(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    admin: httpx.Auth,
    operation: str,
) -> None:
    call = calls(world.shared)[operation]
    forged = Call(call.method, call.path, {**call.body, "owner_org": OTHER})
    allowed = admin if operation in ADMINS_WRITE else tokens.auth(OWNER, "evaluator")

    refusal = await refused(
        client, forged, auth=allowed, status=422, code="validation_error", stored=db.snapshot
    )

    assert [p["field"] for p in refusal.json()["error"]["fields"]] == ["body.owner_org"]


async def test_a_lesson_recorded_by_an_evaluator_belongs_to_the_evaluators_organization(
    client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    recorded = await calls(MISSING)[RECORD].send(client, tokens.auth(OTHER, "evaluator"))

    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["owner_org"] == OTHER


async def test_only_consortium_admins_read_the_audit(
    client: httpx.AsyncClient,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    consortium_observer: BearerAuth,
    admin: httpx.Auth,
) -> None:
    members = [tokens.auth(OWNER, role) for role in ("coordinator", "evaluator", "partner-system")]

    for auth in [*members, org_a_observer, consortium_observer]:
        response = await client.get("/audit", auth=auth)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "role_required"
    assert (await client.get("/audit", auth=admin)).status_code == 200
