"""Every operation of the partners API, called as every kind of caller: anonymous, with an expired
or forged token, without a platform role, with a role too weak, and as another organization.
A refused call answers the error body and changes nothing: no table, no event, no audit entry.

The records: org-a owns engagement eng-1 (consortium-visible) and eng-private (owner-only), a
consortium-visible and an owner-only partner, and a partnership on each engagement; org-b owns
engagement eng-b. The tokens are real, of the session's identity provider.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_shared.auth.principal import Principal, PrincipalKind
from multitrack_shared.http.auth import current_principal, unguarded_operations
from multitrack_shared.testing.access_matrix import (
    Call,
    operations_calls,
    protected_operations,
    refused,
    unverifiable,
)
from multitrack_shared.testing.consortium import ClientCredentials
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import TokenSource, bearer

from .conftest import OTHER, OWNER, Database, a_partner, a_trainer, partnership_of
from .test_subscriptions_api import SUBSCRIPTION_OPERATIONS


@dataclass(frozen=True)
class Records:
    """The records the calls name."""

    partner_id: str
    partnership_id: str
    engagement_id: str
    member_id: str
    shared_partner_id: str
    """The partner a new partnership takes on."""
    trainer_id: str


@dataclass(frozen=True)
class World:
    visible: Records
    """org-a's consortium-visible records."""
    hidden: Records
    """org-a's owner-only records, where an operation names one."""


@pytest.fixture
async def world(
    client: httpx.AsyncClient, register: Any, open_engagement: Any, admin: httpx.Auth
) -> World:
    await open_engagement("eng-1")
    await open_engagement("eng-private", ownership={"owner_org": OWNER, "visibility": "owner"})
    await open_engagement("eng-b", ownership={"owner_org": OTHER})
    shared = (await register(name="Shared"))["id"]
    private = (await register(name="Private", visibility="owner"))["id"]
    joined = await client.post("/members", json={"name": "Alder", "roles": ["lead"]}, auth=admin)
    assert joined.status_code == 201, joined.text
    member = joined.json()["id"]
    trainers = [
        await client.post("/trainers", json=a_trainer(visibility=visibility))
        for visibility in ("consortium", "owner")
    ]
    assert all(t.status_code == 201 for t in trainers), [t.text for t in trainers]
    shared_trainer, private_trainer = (t.json()["id"] for t in trainers)
    return World(
        visible=Records(
            shared,
            await partnership_of(client, shared, "eng-1"),
            "eng-1",
            member,
            shared,
            shared_trainer,
        ),
        hidden=Records(
            private,
            await partnership_of(client, private, "eng-private"),
            "eng-private",
            member,
            shared,
            private_trainer,
        ),
    )


def profile() -> dict[str, Any]:
    return {k: v for k, v in a_partner(name="Revised").items() if k != "visibility"}


def calls(records: Records) -> dict[str, Call]:
    """One call of every operation, keyed ``METHOD /path/{param}``; those that name a record
    name these."""
    partner = f"/partners/{records.partner_id}"
    partnership = f"/partnerships/{records.partnership_id}"
    engagement = f"/engagements/{records.engagement_id}"
    forming = {
        "partner_id": records.shared_partner_id,
        "engagement_id": records.engagement_id,
        "role": "trainer",
        "starts_on": "2026-05-01",
    }
    return {
        "POST /partners": Call("POST", "/partners", a_partner(name="New")),
        "GET /partners": Call("GET", "/partners"),
        "GET /partners/{partner_id}": Call("GET", partner),
        "PUT /partners/{partner_id}": Call("PUT", partner, profile()),
        "POST /members": Call(
            "POST", "/members", {"name": "Cedar Mediation Trust", "roles": ["research"]}
        ),
        "GET /members": Call("GET", "/members"),
        "GET /members/{member_id}": Call("GET", f"/members/{records.member_id}"),
        "POST /partnerships": Call("POST", "/partnerships", forming),
        "GET /partnerships": Call("GET", "/partnerships"),
        "GET /partnerships/{partnership_id}": Call("GET", partnership),
        "POST /partnerships/{partnership_id}/end": Call(
            "POST", f"{partnership}/end", {"ends_on": "2026-09-30"}
        ),
        "GET /engagements/{engagement_id}/suggested-partners": Call(
            "GET", f"{engagement}/suggested-partners"
        ),
        "GET /engagements/{engagement_id}/inclusion": Call("GET", f"{engagement}/inclusion"),
        "GET /inclusion": Call("GET", "/inclusion"),
        "POST /trainers": Call("POST", "/trainers", a_trainer(name="Tom Reyes")),
        "GET /trainers": Call("GET", "/trainers"),
        "GET /trainers/{trainer_id}": Call("GET", f"/trainers/{records.trainer_id}"),
        "GET /audit": Call("GET", "/audit"),
        **operations_calls(),
    }


COORDINATED = {
    "POST /partners",
    "PUT /partners/{partner_id}",
    "POST /partnerships",
    "POST /partnerships/{partnership_id}/end",
    "POST /trainers",
}
"""Operations of the owning organization's coordinators."""
ON_A_RECORD = {"PUT /partners/{partner_id}", "POST /partnerships/{partnership_id}/end"}
ADMINISTERED = {"POST /members", "GET /audit", *operations_calls()}
"""Operations of consortium admins."""


@pytest.fixture(scope="module")
async def expired(tokens: TokenSource) -> str:
    return await tokens.expired()


@pytest.fixture(scope="module")
async def roleless(keycloak: IdentityProvider, tokens: TokenSource) -> str:
    """A token of a client of org-a that holds no platform role."""
    client_id = f"test-no-role-{uuid.uuid4().hex[:8]}"
    with keycloak.admin() as admin:
        secret = admin.ensure_service_client(client_id, OWNER, [], "holds no platform role")
    return await tokens.token_of(ClientCredentials(client_id, secret, OWNER, []))


async def test_every_operation_takes_a_caller_and_every_one_is_in_this_matrix(
    app: FastAPI, world: World
) -> None:
    assert unguarded_operations(app) == []
    # /subscriptions, its organization's alone, has its own matrix (test_subscriptions_api).
    every = [*calls(world.visible), *SUBSCRIPTION_OPERATIONS]
    assert sorted(every) == protected_operations(app)


async def test_without_a_valid_token_every_operation_answers_401_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, world: World, tokens: TokenSource, expired: str
) -> None:
    unverifiable_credentials = await unverifiable(tokens, expired, OWNER, "coordinator")
    for call in calls(world.visible).values():
        for auth, code in unverifiable_credentials:
            await refused(client, call, auth=auth, status=401, code=code, stored=db.snapshot)


async def test_the_realm_gives_a_client_without_a_platform_role_no_token_for_the_platform(
    client: httpx.AsyncClient, db: Database, world: World, roleless: str
) -> None:
    for call in calls(world.visible).values():
        await refused(
            client,
            call,
            auth=bearer(roleless),
            status=401,
            code="token_invalid",
            stored=db.snapshot,
        )


async def test_a_caller_holding_no_platform_role_is_refused_every_operation(
    app: FastAPI, client: httpx.AsyncClient, db: Database, world: World
) -> None:
    # Another identity provider might vouch for such a caller; this realm does not (above).
    app.dependency_overrides[current_principal] = lambda: Principal(
        "no-role", OWNER, frozenset(), PrincipalKind.client, client_id="no-role"
    )
    for call in calls(world.visible).values():
        await refused(client, call, auth=None, status=403, code="role_required", stored=db.snapshot)


@pytest.mark.parametrize(
    ("organization", "role", "person", "operations"),
    [
        pytest.param(OWNER, "evaluator", False, COORDINATED | ADMINISTERED, id="evaluator"),
        pytest.param(OWNER, "partner-system", False, COORDINATED | ADMINISTERED, id="system"),
        pytest.param(None, "observer", True, COORDINATED | ADMINISTERED, id="observer"),
        pytest.param(None, "consortium-admin", False, COORDINATED, id="consortium-admin"),
        pytest.param(OWNER, "coordinator", False, ADMINISTERED, id="coordinator"),
        pytest.param(OWNER, "coordinator", True, ADMINISTERED, id="coordinator-person"),
    ],
)
async def test_a_role_too_weak_for_an_operation_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    world: World,
    tokens: TokenSource,
    organization: str | None,
    role: str,
    person: bool,
    operations: set[str],
) -> None:
    caller = tokens.auth(organization, role, person=person)
    for operation in sorted(operations):
        # a caller acting for no organization owns nothing, whatever its roles
        on_a_record = organization is None and operation in ON_A_RECORD
        code = "not_owner" if on_a_record else "role_required"
        call = calls(world.visible)[operation]
        await refused(client, call, auth=caller, status=403, code=code, stored=db.snapshot)


async def test_another_organization_changes_nothing_it_sees_of_org_a(
    client: httpx.AsyncClient, db: Database, world: World, other: httpx.Auth
) -> None:
    for operation in sorted(COORDINATED - {"POST /partners", "POST /trainers"}):
        call = calls(world.visible)[operation]
        await refused(client, call, auth=other, status=403, code="not_owner", stored=db.snapshot)


MISSING = {
    "partner_id": "p-none",
    "partnership_id": "ps-none",
    "engagement_id": "eng-none",
    "trainer_id": "t-none",
}
"""Ids of no record: what an owner-only record of another organization must look like."""


async def test_another_organization_finds_none_of_org_as_owner_only_records(
    client: httpx.AsyncClient, db: Database, world: World, other: httpx.Auth
) -> None:
    hidden_ids = {name: getattr(world.hidden, name) for name in MISSING}
    never_there = calls(replace(world.hidden, **MISSING))
    for operation, call in calls(world.hidden).items():
        if "{" not in operation or operation == "GET /members/{member_id}":
            continue  # membership is the consortium's: everyone reads it
        if operation in ADMINISTERED:
            continue  # consortium admins' alone: another organization is refused the role
        hidden = await refused(
            client, call, auth=other, status=404, code="not_found", stored=db.snapshot
        )
        absent = never_there[operation]
        missed = await refused(
            client, absent, auth=other, status=404, code="not_found", stored=db.snapshot
        )
        # a hidden record and a missing one are told apart by nothing but their id
        (name,) = (n for n in MISSING if hidden_ids[n] in call.path)
        assert absent.path == call.path.replace(hidden_ids[name], MISSING[name])
        assert missed.text == hidden.text.replace(hidden_ids[name], MISSING[name])


@pytest.mark.parametrize(
    ("engagement_id", "partner", "field", "code"),
    [
        pytest.param(
            "eng-private", "shared", "engagement_id", "unknown_engagement", id="engagement"
        ),
        pytest.param("eng-b", "private", "partner_id", "unknown_partner", id="partner"),
    ],
)
async def test_a_partnership_on_what_the_caller_may_not_see_is_refused_as_on_the_unknown(
    client: httpx.AsyncClient,
    db: Database,
    world: World,
    other: httpx.Auth,
    engagement_id: str,
    partner: str,
    field: str,
    code: str,
) -> None:
    partner_id = world.visible.partner_id if partner == "shared" else world.hidden.partner_id
    body = {"partner_id": partner_id, "engagement_id": engagement_id, "role": "host"}
    call = Call("POST", "/partnerships", {**body, "starts_on": "2026-04-01"})

    response = await refused(client, call, auth=other, status=422, code=code, stored=db.snapshot)

    assert response.json()["error"]["fields"][0]["field"] == field


async def test_every_platform_role_reads_what_is_visible_to_it(
    client: httpx.AsyncClient, world: World, tokens: TokenSource
) -> None:
    readers = [
        tokens.auth(OWNER, "coordinator"),
        tokens.auth(OWNER, "evaluator"),
        tokens.auth(OWNER, "partner-system"),
        tokens.auth(OTHER, "coordinator"),
        tokens.auth(None, "observer", person=True),
        tokens.auth(None, "consortium-admin"),
    ]
    reads = [
        call
        for operation, call in calls(world.visible).items()
        if call.method == "GET" and operation not in ADMINISTERED
    ]
    for caller in readers:
        for call in reads:
            response = await call.send(client, caller)
            assert response.status_code == 200, f"{call.method} {call.path}: {response.text}"
