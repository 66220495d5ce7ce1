"""/subscriptions over HTTP: who may call each operation, what a request must be, and what each
answer shows. A subscription is its organization's alone: partner systems and coordinators of
that organization manage it; another organization finds none of it; other roles are refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from multitrack_partners.adapters.tables import AUDIT_LOG
from multitrack_shared.testing.access_matrix import Call, refused
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Database

SINK = "https://partner.example.org/multitrack/events"

SUBSCRIPTION_OPERATIONS = (
    "POST /subscriptions",
    "GET /subscriptions",
    "GET /subscriptions/{subscription_id}",
    "POST /subscriptions/{subscription_id}/enable",
    "POST /subscriptions/{subscription_id}/disable",
    "POST /subscriptions/{subscription_id}/redeliveries",
    "GET /subscriptions/{subscription_id}/deliveries",
    "GET /subscriptions/{subscription_id}/dead-letters",
)
"""The operations these tests call as every kind of caller (the partners access matrix holds
the others)."""


def calls(subscription_id: str) -> dict[str, Call]:
    one = f"/subscriptions/{subscription_id}"
    return {
        "POST /subscriptions": Call("POST", "/subscriptions", {"sink": SINK, "protocol": "HTTP"}),
        "GET /subscriptions": Call("GET", "/subscriptions"),
        "GET /subscriptions/{subscription_id}": Call("GET", one),
        "POST /subscriptions/{subscription_id}/enable": Call("POST", f"{one}/enable"),
        "POST /subscriptions/{subscription_id}/disable": Call("POST", f"{one}/disable"),
        "POST /subscriptions/{subscription_id}/redeliveries": Call(
            "POST", f"{one}/redeliveries", {"since": "2026-01-01T00:00:00Z"}
        ),
        "GET /subscriptions/{subscription_id}/deliveries": Call("GET", f"{one}/deliveries"),
        "GET /subscriptions/{subscription_id}/dead-letters": Call("GET", f"{one}/dead-letters"),
    }


Stored = Callable[[], Awaitable[object]]


@pytest.fixture
def stored(db: Database) -> Stored:
    async def tables() -> object:
        names = ("subscriptions", "deliveries", "audit_log")
        return {name: sorted(map(tuple, await db.rows(name)), key=str) for name in names}

    return tables


@pytest.fixture
async def subscription(client: httpx.AsyncClient, tokens: TokenSource) -> dict[str, Any]:
    """org-a's subscription, made by its partner system."""
    body = {
        "sink": SINK,
        "protocol": "HTTP",
        "types": ["multitrack.engagement.opened.v1"],
        "filters": [{"prefix": {"subject": "eng-"}}, {"exact": {"type": "x"}}],
    }
    response = await client.post(
        "/subscriptions", json=body, auth=tokens.auth(OWNER, "partner-system")
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_the_operations_here_are_every_subscription_operation() -> None:
    assert sorted(calls("s")) == sorted(SUBSCRIPTION_OPERATIONS)


async def test_a_subscription_answers_what_it_was_given_and_its_secret_once(
    subscription: dict[str, Any], db: Database
) -> None:
    assert subscription["owner_org"] == OWNER
    assert subscription["status"] == "active"
    assert subscription["types"] == ["multitrack.engagement.opened.v1"]
    assert subscription["filters"] == [{"prefix": {"subject": "eng-"}}, {"exact": {"type": "x"}}]
    assert subscription["secret"].startswith("whsec_")
    (row,) = await db.rows("subscriptions")
    assert subscription["secret"] not in row.sealed_secret
    audit = [(r.record_type, r.record_id, r.action) for r in await db.rows(AUDIT_LOG)]
    assert audit == [("subscription", subscription["id"], "subscribed")]


async def test_anonymous_callers_and_roles_without_subscriptions_are_refused_everything(
    client: httpx.AsyncClient, subscription: dict[str, Any], tokens: TokenSource, stored: Stored
) -> None:
    for call in calls(subscription["id"]).values():
        await refused(client, call, auth=None, status=401, code="token_missing", stored=stored)
        for organization, role in [
            (OWNER, "evaluator"),
            (None, "consortium-admin"),
        ]:
            caller = tokens.auth(organization, role)
            await refused(
                client, call, auth=caller, status=403, code="role_required", stored=stored
            )


async def test_another_organization_finds_none_of_it(
    client: httpx.AsyncClient, subscription: dict[str, Any], tokens: TokenSource, stored: Stored
) -> None:
    theirs = tokens.auth(OTHER, "partner-system")
    for operation, call in calls(subscription["id"]).items():
        if "{" in operation:
            await refused(client, call, auth=theirs, status=404, code="not_found", stored=stored)
    listed = await client.get("/subscriptions", auth=theirs)
    assert listed.status_code == 200
    assert listed.json() == []


async def test_the_owning_organization_s_coordinator_manages_it(
    client: httpx.AsyncClient, subscription: dict[str, Any], db: Database
) -> None:
    one = f"/subscriptions/{subscription['id']}"
    read = await client.get(one)
    assert read.json()["sink"] == SINK
    assert read.headers["ETag"] == f'"{subscription["id"]}.1"'
    assert (await client.get(f"{one}/deliveries")).json() == []
    assert (await client.get(f"{one}/dead-letters")).json() == []
    refusal = await client.post(f"{one}/enable")
    assert (refusal.status_code, refusal.json()["error"]["code"]) == (409, "already_active")
    again = await client.post(f"{one}/redeliveries", json={"since": "2026-01-01T00:00:00Z"})
    assert again.json() == {"deliveries": 0}

    stale = await client.post(f"{one}/disable", headers={"If-Match": '"nope.7"'})
    assert stale.status_code == 412
    disabled = await client.post(f"{one}/disable", headers={"If-Match": read.headers["ETag"]})
    assert disabled.status_code == 200, disabled.text
    assert (disabled.json()["status"], disabled.json()["disabled_reason"]) == (
        "disabled",
        "disabled by its owner",
    )
    assert disabled.headers["ETag"] == f'"{subscription["id"]}.2"'
    enabled = await client.post(f"{one}/enable", headers={"If-Match": disabled.headers["ETag"]})
    assert enabled.json()["status"] == "active"
    audit = [(r.record_id, r.action) for r in await db.rows(AUDIT_LOG)]
    assert [action for _, action in audit] == [
        "subscribed",
        "redelivery asked",
        "disabled",
        "enabled",
    ]


@pytest.mark.parametrize(
    ("sink", "rule"),
    [
        pytest.param("http://partner.example.org/hook", "sink_not_allowed", id="plain-http"),
        pytest.param("http://127.0.0.1:9/hook", "sink_not_allowed", id="loopback-not-local"),
        pytest.param("ftp://partner.example.org/hook", "sink_not_allowed", id="ftp"),
        pytest.param("https://user:pw@partner.example.org/", "rule_violated", id="credentials"),
        pytest.param("partner.example.org/hook", "rule_violated", id="no-scheme"),
    ],
)
async def test_a_sink_must_be_https(
    client: httpx.AsyncClient, db: Database, sink: str, rule: str
) -> None:
    answered = await client.post("/subscriptions", json={"sink": sink, "protocol": "HTTP"})
    assert (answered.status_code, answered.json()["error"]["code"]) == (422, rule)
    assert answered.json()["error"]["fields"][0]["field"] == "sink"
    assert await db.count("subscriptions") == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"sink": SINK, "protocol": "AMQP"}, id="protocol"),
        pytest.param({"sink": SINK}, id="no-protocol"),
        pytest.param({"sink": SINK, "protocol": "HTTP", "filters": [{}]}, id="empty-filter"),
        pytest.param(
            {
                "sink": SINK,
                "protocol": "HTTP",
                "filters": [{"prefix": {"type": "a", "subject": "b"}}],
            },
            id="two-attributes",
        ),
        pytest.param(
            {"sink": SINK, "protocol": "HTTP", "filters": [{"suffix": {"type": "a"}}]},
            id="unknown-dialect",
        ),
        pytest.param({"sink": SINK, "protocol": "HTTP", "types": ["a", "a"]}, id="repeated-type"),
    ],
)
async def test_a_malformed_subscription_is_refused(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any]
) -> None:
    response = await client.post("/subscriptions", json=body)
    assert response.status_code == 422, response.text
    assert await db.count("subscriptions") == 0
