"""Who may do what with invitations: every operation, called as every kind of caller.

Coordinators of the owning organization receive, assess, decide and withdraw; every platform
role reads what its organization may see. Another organization's owner-only invitation is not
found, anywhere; a consortium-visible one it may read but not change. Every refusal writes
nothing: not the invitation, not the outbox, not the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_shared.http.auth import unguarded_operations
from multitrack_shared.testing.access_matrix import (
    Call,
    operations_calls,
    protected_operations,
    refused,
    unverifiable,
)
from multitrack_shared.testing.inprocess import ServiceTables
from multitrack_shared.testing.samples import CRITERIA as CRITERIA_CODES
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .conftest import OWNER

OTHER = "org-b"
SECRET = "Back-channel talks with an armed group"

RECEIVE = "POST /invitations"
SEARCH = "GET /invitations"
SEARCH_IN_BRIEF = "GET /invitations/summaries"
READ = "GET /invitations/{invitation_id}"
ASSESS = "PUT /invitations/{invitation_id}/assessment"
DECIDE = "POST /invitations/{invitation_id}/decision"
WITHDRAW = "POST /invitations/{invitation_id}/withdrawal"
LESSONS = "GET /invitations/{invitation_id}/lessons"
AUDIT = "GET /audit"
CRITERIA = "GET /assessment-criteria"
CHANGES = [ASSESS, DECIDE, WITHDRAW]
"""The operations that change an existing invitation."""
OF_ONE = [READ, LESSONS, *CHANGES]
"""The operations on one invitation."""


def calls(invitation_id: str) -> dict[str, Call]:
    """One call of each operation of the service; those on one invitation act on this one."""
    one = f"/invitations/{invitation_id}"
    return {
        RECEIVE: Call("POST", "/invitations", invitation_body()),
        SEARCH: Call("GET", "/invitations"),
        SEARCH_IN_BRIEF: Call("GET", "/invitations/summaries"),
        READ: Call("GET", one),
        ASSESS: Call("PUT", f"{one}/assessment", assessment_body()),
        DECIDE: Call("POST", f"{one}/decision", acceptance_body()),
        WITHDRAW: Call("POST", f"{one}/withdrawal", {"reason": "Talks moved abroad."}),
        LESSONS: Call("GET", f"{one}/lessons"),
        AUDIT: Call("GET", "/audit"),
        CRITERIA: Call("GET", "/assessment-criteria"),
        **operations_calls(),
    }


@dataclass(frozen=True)
class Invitations:
    """Two invitations of org-a, both under assessment."""

    shared: str
    """Consortium-visible."""
    private: str
    """Owner-only, about back-channel talks with an armed group."""


async def under_assessment(client: httpx.AsyncClient, **changes: object) -> str:
    created = await client.post("/invitations", json=invitation_body(**changes))
    assert created.status_code == 201, created.text
    invitation_id = str(created.json()["id"])
    assessed = await client.put(f"/invitations/{invitation_id}/assessment", json=assessment_body())
    assert assessed.status_code == 200, assessed.text
    return invitation_id


@pytest.fixture
async def invitations(client: httpx.AsyncClient) -> Invitations:
    return Invitations(
        shared=await under_assessment(client),
        private=await under_assessment(client, visibility="owner", support_requested=SECRET),
    )


@pytest.fixture
def stored(app: FastAPI) -> ServiceTables:
    """The invitations, the outbox and the audit log: what a refusal must leave as it was."""
    return ServiceTables(app, metadata, messaging, owned=("invitations", "audit_log"))


@pytest.fixture(scope="session")
async def expired_token(tokens: TokenSource) -> str:
    return await tokens.expired()


def test_every_operation_of_the_service_is_in_the_matrix_and_takes_a_caller(app: FastAPI) -> None:
    assert sorted(calls("any")) == protected_operations(app)
    assert unguarded_operations(app) == []


@pytest.mark.parametrize("operation", sorted(calls("any")))
async def test_without_a_valid_token_every_operation_answers_401_and_writes_nothing(
    client: httpx.AsyncClient,
    invitations: Invitations,
    stored: ServiceTables,
    tokens: TokenSource,
    expired_token: str,
    operation: str,
) -> None:
    call = calls(invitations.private)[operation]
    unverifiable_credentials = await unverifiable(tokens, expired_token, OWNER, "coordinator")

    for auth, code in unverifiable_credentials:
        await refused(client, call, auth=auth, status=401, code=code, stored=stored.snapshot)


WEAK_ROLES = ["evaluator", "partner-system", "observer"]


@pytest.mark.parametrize("operation", [RECEIVE, *CHANGES])
@pytest.mark.parametrize("role", WEAK_ROLES)
async def test_a_role_too_weak_in_the_owning_organization_answers_403_and_writes_nothing(
    client: httpx.AsyncClient,
    invitations: Invitations,
    stored: ServiceTables,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    operation: str,
    role: str,
) -> None:
    call = calls(invitations.private)[operation]
    auth = org_a_observer if role == "observer" else tokens.auth(OWNER, role)

    await refused(client, call, auth=auth, status=403, code="role_required", stored=stored.snapshot)

    done = await call.send(client, tokens.auth(OWNER, "coordinator"))
    assert done.is_success, done.text  # the same call, as the owning coordinator


@pytest.mark.parametrize("operation", [RECEIVE, *CHANGES])
async def test_a_consortium_admin_neither_receives_nor_changes_an_invitation(
    client: httpx.AsyncClient,
    invitations: Invitations,
    stored: ServiceTables,
    tokens: TokenSource,
    operation: str,
) -> None:
    admin = tokens.auth(None, "consortium-admin")
    call = calls(invitations.shared)[operation]
    code = "role_required" if operation == RECEIVE else "not_owner"

    await refused(client, call, auth=admin, status=403, code=code, stored=stored.snapshot)


@pytest.mark.parametrize("operation", OF_ONE)
@pytest.mark.parametrize(
    "caller",
    [(OTHER, "coordinator"), (OTHER, "evaluator"), (OTHER, "partner-system")],
    ids=lambda caller: "-".join(caller),
)
async def test_another_organizations_owner_only_invitation_is_not_found_as_if_missing(
    client: httpx.AsyncClient,
    invitations: Invitations,
    stored: ServiceTables,
    tokens: TokenSource,
    operation: str,
    caller: tuple[str, str],
) -> None:
    auth = tokens.auth(*caller)
    hidden = await refused(
        client,
        calls(invitations.private)[operation],
        auth=auth,
        status=404,
        code="not_found",
        stored=stored.snapshot,
    )
    missing = await calls("no-such-invitation")[operation].send(client, auth)

    assert missing.status_code == 404
    # The same answer as for an invitation that does not exist, its id aside.
    assert hidden.json() == json.loads(
        missing.text.replace("no-such-invitation", invitations.private)
    )
    assert SECRET not in hidden.text


async def test_a_consortium_admin_does_not_see_an_organizations_owner_only_invitation(
    client: httpx.AsyncClient, invitations: Invitations, tokens: TokenSource
) -> None:
    admin = tokens.auth(None, "consortium-admin")

    read = await client.get(f"/invitations/{invitations.private}", auth=admin)
    listed = await client.get("/invitations", auth=admin)

    assert read.status_code == 404
    assert [i["id"] for i in listed.json()] == [invitations.shared]


SEARCHES = [
    {},
    {"owner_org": OWNER},
    {"status": "under_assessment"},
    {"country": "CO", "track": 4},
    {"region": "Caribbean region", "phase": "post-agreement", "conflict_type": "land"},
    {"inviter_side": "rural communities"},
    {"received_from": "2000-01-01T00:00:00Z"},
]


@pytest.mark.parametrize("path", ["/invitations", "/invitations/summaries"])
@pytest.mark.parametrize("params", SEARCHES, ids=lambda params: ",".join(params) or "none")
async def test_no_search_of_another_organization_returns_or_counts_an_owner_only_invitation(
    client: httpx.AsyncClient,
    invitations: Invitations,
    tokens: TokenSource,
    params: dict[str, Any],
    path: str,
) -> None:
    async def listed(auth: httpx.Auth, **paging: Any) -> list[str]:
        response = await client.get(path, params={**params, **paging}, auth=auth)
        assert response.status_code == 200, response.text
        assert SECRET not in response.text
        return [invitation["id"] for invitation in response.json()]

    for role in ("coordinator", "evaluator", "partner-system"):
        other = tokens.auth(OTHER, role)
        assert await listed(other) == [invitations.shared]
        # Filtered before paging: the first page holds it alone, and there is no second.
        assert await listed(other, limit=1) == [invitations.shared]
        assert await listed(other, limit=1, offset=1) == []
    own = await listed(tokens.auth(OWNER, "partner-system"))
    assert set(own) == {invitations.shared, invitations.private}


@pytest.mark.parametrize("operation", CHANGES)
async def test_another_organization_may_read_a_consortium_visible_invitation_but_not_change_it(
    client: httpx.AsyncClient,
    invitations: Invitations,
    stored: ServiceTables,
    tokens: TokenSource,
    operation: str,
) -> None:
    other = tokens.auth(OTHER, "coordinator")
    one = calls(invitations.shared)

    await refused(
        client, one[operation], auth=other, status=403, code="not_owner", stored=stored.snapshot
    )

    for read in (READ, LESSONS):
        assert (await one[read].send(client, other)).status_code == 200


async def test_the_owner_is_the_callers_organization_and_a_body_naming_one_is_refused(
    client: httpx.AsyncClient, stored: ServiceTables, tokens: TokenSource
) -> None:
    forged = Call("POST", "/invitations", invitation_body(owner_org=OTHER))

    refusal = await refused(
        client,
        forged,
        auth=tokens.auth(OWNER, "coordinator"),
        status=422,
        code="validation_error",
        stored=stored.snapshot,
    )
    theirs = await client.post(
        "/invitations", json=invitation_body(), auth=tokens.auth(OTHER, "coordinator")
    )

    assert [p["field"] for p in refusal.json()["error"]["fields"]] == ["body.owner_org"]
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["owner_org"] == OTHER


@pytest.mark.parametrize(
    "caller",
    [
        (OWNER, "coordinator"),
        (OTHER, "evaluator"),
        (OTHER, "partner-system"),
        (None, "consortium-admin"),
    ],
    ids=lambda caller: "-".join(c or "consortium" for c in caller),
)
async def test_every_platform_role_reads_the_assessment_criteria(
    client: httpx.AsyncClient, tokens: TokenSource, caller: tuple[str | None, str]
) -> None:
    response = await calls("any")[CRITERIA].send(client, tokens.auth(*caller))

    assert response.status_code == 200
    assert [c["code"] for c in response.json()] == list(CRITERIA_CODES)
