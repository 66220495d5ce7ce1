"""Who may do what with engagements: every operation, called as every kind of caller.

Coordinators of the owning organization change an engagement's status and record its
analyses, hearings, activities, liaison and lesson responses; every platform role reads what
its organization may see. Another organization's owner-only engagement is not found, anywhere
(not in reads, not in the search); a consortium-visible one it may read but not change. Every
refusal writes nothing: not the engagement nor its records, not the outbox, not the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI

from multitrack_engagements.domain.engagement import engagement_id_for
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.evaluation import LessonContext, LessonRecorded
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.http.auth import unguarded_operations
from multitrack_shared.testing.access_matrix import (
    Call,
    operations_calls,
    protected_operations,
    refused,
    unverifiable,
)
from multitrack_shared.testing.tokens import BearerAuth, TokenSource, bearer

from .conftest import (
    METHOD_CATALOGUE,
    OTHER,
    OWNER,
    TRAINER_CATALOGUE,
    Api,
    Database,
    Deliver,
    a_partner,
    activity_body,
    an_acceptance,
    analysis_body,
    budget_body,
    exit_plan_body,
    follow_up_body,
    funding_body,
    heard_body,
    liaison_body,
    the_owner_joined,
)

SECRET = "Back-channel talks with an armed group"
FUNDER = a_partner("Peace Fund")
LESSON = "lesson-1"

CREATE = "POST /engagements"
SEARCH = "GET /engagements"
READ = "GET /engagements/{engagement_id}"
STATUS = "POST /engagements/{engagement_id}/status"
LINK_CONFLICT = "PUT /engagements/{engagement_id}/conflict"
RECORD_ANALYSIS = "POST /engagements/{engagement_id}/analyses"
ANALYSES = "GET /engagements/{engagement_id}/analyses"
ANALYSIS = "GET /engagements/{engagement_id}/analyses/{version}"
HEAR = "POST /engagements/{engagement_id}/listening"
LEDGER = "GET /engagements/{engagement_id}/listening"
RECORD_ACTIVITY = "POST /engagements/{engagement_id}/activities"
ACTIVITIES = "GET /engagements/{engagement_id}/activities"
RECORD_LIAISON = "POST /engagements/{engagement_id}/liaison"
LIAISON = "GET /engagements/{engagement_id}/liaison"
COVERAGE = "GET /engagements/{engagement_id}/coverage"
BRIEFING = "GET /engagements/{engagement_id}/briefing"
INBOX = "GET /engagements/{engagement_id}/lessons"
OVERVIEW = "GET /engagements/{engagement_id}/overview"
RESPOND = "POST /engagements/{engagement_id}/lessons/{lesson_id}/response"
EXTEND = "POST /engagements/{engagement_id}/extension"
PLAN_EXIT = "PUT /engagements/{engagement_id}/exit-plan"
FOLLOW_UP = "POST /engagements/{engagement_id}/follow-ups"
FOLLOW_UPS = "GET /engagements/{engagement_id}/follow-ups"
RECORD_FUNDING = "POST /engagements/{engagement_id}/funding"
PLAN_BUDGET = "POST /engagements/{engagement_id}/budget"
FUNDING = "GET /engagements/{engagement_id}/funding"
IATI = "GET /engagements/{engagement_id}/iati"
IATI_ALL = "GET /iati/activities.xml"
AUDIT = "GET /audit"
REGISTER_CONFLICT = "POST /conflicts"
CONFLICTS = "GET /conflicts"
CONFLICT = "GET /conflicts/{conflict_id}"
REVISE_CONFLICT = "PUT /conflicts/{conflict_id}"
COMPASS = "GET /conflicts/{conflict_id}/compass"
RECORD_HARM = "POST /engagements/{engagement_id}/harm-register"
REVIEW_HARM = "POST /engagements/{engagement_id}/harm-register/{entry_id}/review"
HARM = "GET /engagements/{engagement_id}/harm-register"

CHANGES = [
    STATUS,
    LINK_CONFLICT,
    RECORD_ANALYSIS,
    HEAR,
    RECORD_ACTIVITY,
    RECORD_LIAISON,
    RESPOND,
    EXTEND,
    PLAN_EXIT,
    FOLLOW_UP,
    RECORD_FUNDING,
    PLAN_BUDGET,
]
"""The operations that change an engagement or record what it does."""
READS_OF_ONE = [
    READ,
    ANALYSES,
    ANALYSIS,
    LEDGER,
    ACTIVITIES,
    LIAISON,
    COVERAGE,
    BRIEFING,
    INBOX,
    OVERVIEW,
    FOLLOW_UPS,
    FUNDING,
    IATI,
]
OF_ONE = [*READS_OF_ONE, *CHANGES]
"""The operations on one engagement."""
WEAK_ROLES = ["evaluator", "partner-system", "observer"]
CONFLICT_BODY = {"name": "Montes de María land conflict", "country": "CO"}
HARM_BODY = {
    "kind": "risk",
    "category": "security",
    "severity": "low",
    "noted_on": "2025-01-10",
    "description": "Rumours about who attends.",
}


def calls(engagement_id: str) -> dict[str, Call]:
    """One call of each operation of the service; those on one engagement act on this one."""
    one = f"/engagements/{engagement_id}"
    return {
        CREATE: Call("POST", "/engagements", {"invitation_id": "inv-1"}),
        SEARCH: Call("GET", "/engagements"),
        READ: Call("GET", one),
        STATUS: Call("POST", f"{one}/status", {"to": "active", "note": "Every side heard."}),
        # unlinking one linked to none: allowed, and changes nothing (test_conflicts_api links)
        LINK_CONFLICT: Call("PUT", f"{one}/conflict", {"conflict_id": None}),
        RECORD_ANALYSIS: Call("POST", f"{one}/analyses", analysis_body()),
        ANALYSES: Call("GET", f"{one}/analyses"),
        ANALYSIS: Call("GET", f"{one}/analyses/1"),
        HEAR: Call("POST", f"{one}/listening", heard_body()),
        LEDGER: Call("GET", f"{one}/listening"),
        RECORD_ACTIVITY: Call("POST", f"{one}/activities", activity_body()),
        ACTIVITIES: Call("GET", f"{one}/activities"),
        RECORD_LIAISON: Call("POST", f"{one}/liaison", liaison_body()),
        LIAISON: Call("GET", f"{one}/liaison"),
        COVERAGE: Call("GET", f"{one}/coverage"),
        BRIEFING: Call("GET", f"{one}/briefing"),
        INBOX: Call("GET", f"{one}/lessons"),
        OVERVIEW: Call("GET", f"{one}/overview"),
        RESPOND: Call(
            "POST",
            f"{one}/lessons/{LESSON}/response",
            {"response": "adapted", "why": "Held with the elders' council instead."},
        ),
        EXTEND: Call("POST", f"{one}/extension", {"committed_until": "2031-12-31"}),
        PLAN_EXIT: Call("PUT", f"{one}/exit-plan", exit_plan_body()),
        FOLLOW_UP: Call("POST", f"{one}/follow-ups", follow_up_body()),
        FOLLOW_UPS: Call("GET", f"{one}/follow-ups"),
        RECORD_FUNDING: Call("POST", f"{one}/funding", funding_body(FUNDER.partner_id)),
        PLAN_BUDGET: Call("POST", f"{one}/budget", budget_body()),
        FUNDING: Call("GET", f"{one}/funding"),
        IATI: Call("GET", f"{one}/iati"),
        IATI_ALL: Call("GET", "/iati/activities.xml"),
        AUDIT: Call("GET", "/audit"),
        # conflicts have their own access tests (test_conflicts_api); here, their tokens
        REGISTER_CONFLICT: Call("POST", "/conflicts", CONFLICT_BODY),
        CONFLICTS: Call("GET", "/conflicts"),
        CONFLICT: Call("GET", "/conflicts/c-1"),
        REVISE_CONFLICT: Call("PUT", "/conflicts/c-1", CONFLICT_BODY),
        COMPASS: Call("GET", "/conflicts/c-1/compass"),
        # the register has its own access tests (test_do_no_harm_api); here, their tokens
        RECORD_HARM: Call("POST", f"{one}/harm-register", HARM_BODY),
        REVIEW_HARM: Call("POST", f"{one}/harm-register/h-1/review", {"status": "closed"}),
        HARM: Call("GET", f"{one}/harm-register"),
        **operations_calls(),
    }


@dataclass(frozen=True)
class Engagements:
    """Two engagements of org-a, each heard on every side and reached by a lesson."""

    shared: str
    """Consortium-visible."""
    private: str
    """Owner-only, about back-channel talks with an armed group."""
    private_invitation: str


async def heard_on_every_side(deliver: Deliver, api: Api, **changes: Any) -> str:
    acceptance = an_acceptance(**changes)
    await deliver(acceptance)
    engagement_id = engagement_id_for(acceptance.invitation_id)
    await api.listened_to_every_side(engagement_id)
    return engagement_id


@pytest.fixture
async def engagements(deliver: Deliver, api: Api) -> Engagements:
    for catalogued in (*METHOD_CATALOGUE, *TRAINER_CATALOGUE):  # what activity_body names
        await deliver(catalogued)
    await deliver(FUNDER)
    await deliver(the_owner_joined())
    shared = await heard_on_every_side(deliver, api)
    private = an_acceptance(
        ownership=Ownership(owner_org=OWNER, visibility=Visibility.owner),
        support_requested=SECRET,
    )
    await deliver(private)
    private_id = engagement_id_for(private.invitation_id)
    await api.listened_to_every_side(private_id)
    await deliver(
        LessonRecorded(
            lesson_id=LESSON,
            ownership=Ownership(owner_org=OTHER),
            statement="Hold dialogues on neutral ground.",
            evidence="Three evaluations, 2019-2022.",
            confidence=Confidence.high,
            context=LessonContext(countries=["CO"], conflict_types=["land"]),
            recorded_at=datetime(2023, 11, 1, tzinfo=UTC),
        )
    )
    return Engagements(shared, private_id, private.invitation_id)


@pytest.fixture(scope="session")
async def expired_token(tokens: TokenSource) -> str:
    return await tokens.expired()


def test_every_operation_of_the_service_is_in_the_matrix_and_takes_a_caller(app: FastAPI) -> None:
    assert sorted(calls("any")) == protected_operations(app)
    assert unguarded_operations(app) == []


@pytest.mark.parametrize("operation", sorted(calls("any")))
async def test_without_a_valid_token_every_operation_answers_401_and_writes_nothing(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    expired_token: str,
    operation: str,
) -> None:
    call = calls(engagements.private)[operation]
    unverifiable_credentials = await unverifiable(tokens, expired_token, OWNER, "coordinator")

    for auth, code in unverifiable_credentials:
        response = await refused(client, call, auth=auth, status=401, code=code, stored=db.snapshot)
        assert SECRET not in response.text


@pytest.mark.parametrize("operation", CHANGES)
@pytest.mark.parametrize("role", WEAK_ROLES)
async def test_a_role_too_weak_in_the_owning_organization_answers_403_and_writes_nothing(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    operation: str,
    role: str,
) -> None:
    call = calls(engagements.private)[operation]
    auth = org_a_observer if role == "observer" else tokens.auth(OWNER, role)

    await refused(client, call, auth=auth, status=403, code="role_required", stored=db.snapshot)

    done = await call.send(client, tokens.auth(OWNER, "coordinator"))
    assert done.is_success, done.text  # the same call, as the owning coordinator


@pytest.mark.parametrize("operation", CHANGES)
async def test_a_consortium_admin_changes_no_engagement(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    operation: str,
) -> None:
    admin = tokens.auth(None, "consortium-admin")
    call = calls(engagements.shared)[operation]

    await refused(client, call, auth=admin, status=403, code="not_owner", stored=db.snapshot)


@pytest.mark.parametrize("operation", OF_ONE)
async def test_another_organizations_owner_only_engagement_is_not_found_as_if_missing(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    operation: str,
) -> None:
    for role in ("coordinator", "evaluator", "partner-system"):
        auth = tokens.auth(OTHER, role)
        hidden = await refused(
            client,
            calls(engagements.private)[operation],
            auth=auth,
            status=404,
            code="not_found",
            stored=db.snapshot,
        )
        missing = await calls("no-such-engagement")[operation].send(client, auth)

        assert missing.status_code == 404
        # The same answer as for an engagement that does not exist, its id aside.
        assert hidden.json() == json.loads(
            missing.text.replace("no-such-engagement", engagements.private)
        )
        assert SECRET not in hidden.text


async def test_a_consortium_admin_does_not_see_an_organizations_owner_only_engagement(
    client: httpx.AsyncClient, engagements: Engagements, tokens: TokenSource
) -> None:
    admin = tokens.auth(None, "consortium-admin")

    read = await client.get(f"/engagements/{engagements.private}", auth=admin)
    listed = await client.get("/engagements", auth=admin)

    assert read.status_code == 404
    assert [e["id"] for e in listed.json()] == [engagements.shared]


async def test_no_search_of_another_organization_returns_an_owner_only_engagement(
    client: httpx.AsyncClient, engagements: Engagements, tokens: TokenSource
) -> None:
    searches: list[dict[str, Any]] = [
        {},
        {"owner_org": OWNER},
        {"status": "listening"},
        {"country": "CO"},
        {"quiet": "true"},
        {"invitation_id": engagements.private_invitation},
    ]

    async def listed(auth: httpx.Auth, params: dict[str, Any]) -> list[str]:
        response = await client.get("/engagements", params=params, auth=auth)
        assert response.status_code == 200, response.text
        assert SECRET not in response.text
        return [engagement["id"] for engagement in response.json()]

    for params in searches:
        for role in ("coordinator", "evaluator", "partner-system"):
            other = tokens.auth(OTHER, role)
            visible = [] if "invitation_id" in params else [engagements.shared]
            assert await listed(other, params) == visible, params
            # Filtered before paging: the first page holds it alone, and there is no second.
            assert await listed(other, {**params, "limit": 1}) == visible, params
            assert await listed(other, {**params, "limit": 1, "offset": 1}) == [], params
    own = await listed(tokens.auth(OWNER, "partner-system"), {})
    assert set(own) == {engagements.shared, engagements.private}


@pytest.mark.parametrize("operation", CHANGES)
async def test_another_organization_may_read_a_consortium_visible_engagement_but_not_change_it(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    operation: str,
) -> None:
    other = tokens.auth(OTHER, "coordinator")
    one = calls(engagements.shared)

    await refused(
        client, one[operation], auth=other, status=403, code="not_owner", stored=db.snapshot
    )

    for read in READS_OF_ONE:
        answer = await one[read].send(client, other)
        assert answer.status_code == 200, f"{read}: {answer.text}"


@pytest.mark.parametrize("operation", CHANGES)
async def test_a_body_naming_an_owner_is_refused_and_writes_nothing(
    client: httpx.AsyncClient,
    engagements: Engagements,
    db: Database,
    tokens: TokenSource,
    operation: str,
) -> None:
    call = calls(engagements.shared)[operation]
    forged = Call(call.method, call.path, {**call.body, "owner_org": OTHER})

    refusal = await refused(
        client,
        forged,
        auth=tokens.auth(OWNER, "coordinator"),
        status=422,
        code="validation_error",
        stored=db.snapshot,
    )

    assert [p["field"] for p in refusal.json()["error"]["fields"]] == ["body.owner_org"]


async def test_every_change_leaves_an_audit_entry_per_event_naming_its_caller_and_request(
    client: httpx.AsyncClient, engagements: Engagements, db: Database, tokens: TokenSource
) -> None:
    coordinator = await tokens.for_client(OWNER, "coordinator")
    already = {row.event_id for row in await db.outbox()}
    requests: list[str] = []
    for operation in CHANGES:
        if operation == LINK_CONFLICT:
            continue  # the call unlinks an engagement linked to none: no change, no event
        done = await calls(engagements.shared)[operation].send(client, bearer(coordinator))
        assert done.is_success, f"{operation}: {done.text}"
        requests.append(done.headers["X-Request-ID"])

    audit = await client.get(
        "/audit",
        params={"record_id": engagements.shared, "limit": 200},
        auth=tokens.auth(None, "consortium-admin"),
    )

    assert audit.status_code == 200, audit.text
    entries = [e for e in audit.json()["entries"] if e["event_id"] not in already]
    published = [r for r in await db.outbox() if r.event_id not in already]
    assert [(e["action"], e["event_id"]) for e in entries] == [
        (r.event_type, r.event_id) for r in published
    ]
    assert {e["request_id"] for e in entries} == set(requests)
    assert {(e["record_type"], e["record_id"]) for e in entries} == {
        ("engagement", engagements.shared)
    }
    claims = jwt.decode(coordinator, options={"verify_signature": False})
    assert {
        (e["actor_kind"], e["actor_subject"], e["actor_organization"], e["actor_client"])
        for e in entries
    } == {("client", claims["sub"], OWNER, "org-a-coordinator")}


async def test_an_engagement_opened_from_an_event_is_audited_as_the_service_itself(
    client: httpx.AsyncClient, engagements: Engagements, tokens: TokenSource
) -> None:
    audit = await client.get(
        "/audit",
        params={"record_id": engagements.private},
        auth=tokens.auth(None, "consortium-admin"),
    )

    opening = audit.json()["entries"][0]
    assert (opening["action"], opening["actor_kind"], opening["actor_organization"]) == (
        "multitrack.engagement.opened.v1",
        "service",
        None,
    )


@pytest.mark.parametrize("role", ["coordinator", "evaluator", "partner-system"])
async def test_only_consortium_admins_read_the_audit(
    client: httpx.AsyncClient, engagements: Engagements, tokens: TokenSource, role: str
) -> None:
    response = await client.get("/audit", auth=tokens.auth(OWNER, role))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_required"
