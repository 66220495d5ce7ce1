"""What each organization sees: lists, searches, suggestions and inclusion figures show only what
the caller may read; contact people only to the owning organization's people; and every change
leaves an audit entry naming who made it.

Two organizations: org-a owns eng-1 (consortium-visible) and eng-a-private (owner-only); org-b
owns eng-b (consortium-visible). Each registers a consortium-visible and an owner-only partner,
all working in Colombia, where the three engagements are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Database, audited, partnership_of

CONTACT = {"name": "Ana María Torres", "email": "ana.torres@example.org", "role": "coordinator"}


@dataclass(frozen=True)
class Partners:
    a_shared: str
    a_private: str
    b_shared: str
    b_private: str


async def names(client: httpx.AsyncClient, path: str, auth: httpx.Auth, **params: Any) -> set[str]:
    response = await client.get(path, params=params, auth=auth)
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()}


@pytest.fixture
async def partners(
    client: httpx.AsyncClient, register: Any, open_engagement: Any, other: httpx.Auth
) -> Partners:
    await open_engagement("eng-1")
    await open_engagement("eng-a-private", ownership={"owner_org": OWNER, "visibility": "owner"})
    await open_engagement("eng-b", ownership={"owner_org": OTHER})
    return Partners(
        a_shared=(await register(name="A shared"))["id"],
        a_private=(await register(name="A private", visibility="owner"))["id"],
        b_shared=(await register(name="B shared", auth=other))["id"],
        b_private=(await register(name="B private", visibility="owner", auth=other))["id"],
    )


async def test_a_partner_search_shows_the_consortiums_partners_and_the_callers_own_only(
    client: httpx.AsyncClient, partners: Partners, other: httpx.Auth, tokens: TokenSource
) -> None:
    org_a = tokens.auth(OWNER, "coordinator")
    admin = tokens.auth(None, "consortium-admin")

    assert await names(client, "/partners", org_a) == {"A shared", "A private", "B shared"}
    assert await names(client, "/partners", other) == {"A shared", "B shared", "B private"}
    assert await names(client, "/partners", admin) == {"A shared", "B shared"}
    assert await names(client, "/partners", other, country="CO", track=4, is_local=True) == {
        "A shared",
        "B shared",
        "B private",
    }
    assert await names(client, "/partners", other, limit=500, offset=0) == {
        "A shared",
        "B shared",
        "B private",
    }


async def test_partnerships_are_listed_to_whoever_sees_their_engagement(
    client: httpx.AsyncClient, partners: Partners, other: httpx.Auth, tokens: TokenSource
) -> None:
    org_a = tokens.auth(OWNER, "coordinator")
    on_shared = await partnership_of(client, partners.a_shared, "eng-1", org_a)
    on_private = await partnership_of(client, partners.a_private, "eng-a-private", org_a)
    on_b = await partnership_of(client, partners.b_private, "eng-b", other)

    async def ids(auth: httpx.Auth, **params: Any) -> set[str]:
        response = await client.get("/partnerships", params=params, auth=auth)
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()}

    assert await ids(org_a) == {on_shared, on_private, on_b}
    assert await ids(other) == {on_shared, on_b}
    assert await ids(other, engagement_id="eng-a-private") == set()
    assert await ids(other, partner_id=partners.a_private) == set()
    assert await ids(tokens.auth(None, "consortium-admin")) == {on_shared, on_b}


async def test_an_owner_only_partner_is_never_suggested_for_another_organizations_engagement(
    client: httpx.AsyncClient, partners: Partners, other: httpx.Auth, tokens: TokenSource
) -> None:
    org_a = tokens.auth(OWNER, "coordinator")
    path = "/engagements/{}/suggested-partners".format

    assert await names(client, path("eng-1"), org_a) == {"A shared", "A private", "B shared"}
    assert await names(client, path("eng-b"), other) == {"A shared", "B shared", "B private"}
    # each sees the other's engagement; neither sees the other's own partners put forward for
    # it, nor its own put forward for the other's
    assert await names(client, path("eng-b"), org_a) == {"A shared", "B shared"}
    assert await names(client, path("eng-1"), other) == {"A shared", "B shared"}
    response = await client.get(path("eng-a-private"), auth=other)
    assert response.status_code == 404


async def test_inclusion_figures_count_only_what_the_caller_may_see(
    client: httpx.AsyncClient,
    partners: Partners,
    other: httpx.Auth,
    tokens: TokenSource,
    record_activity: Any,
) -> None:
    org_a = tokens.auth(OWNER, "coordinator")
    await partnership_of(client, partners.a_shared, "eng-1", org_a)
    await partnership_of(client, partners.a_private, "eng-1", org_a)
    await partnership_of(client, partners.a_private, "eng-a-private", org_a)
    await partnership_of(client, partners.b_shared, "eng-b", other)
    await record_activity("act-1", "eng-1", led_locally=True)
    await record_activity("act-2", "eng-a-private", led_locally=True)
    await record_activity("act-3", "eng-b", led_locally=False)

    async def figures(path: str, auth: httpx.Auth, **params: Any) -> Any:
        response = await client.get(path, params=params, auth=auth)
        assert response.status_code == 200, response.text
        return response.json()

    mine = await figures("/inclusion", org_a)
    theirs = await figures("/inclusion", other)
    theirs_of_a = await figures("/inclusion", other, owner_org=OWNER)
    eng_1_for_b = await figures("/engagements/eng-1/inclusion", other)

    assert (mine["engagements"], mine["partners"]["total"], mine["activities"]["total"]) == (
        3,
        3,
        3,
    )
    assert (theirs["engagements"], theirs["partners"]["total"]) == (2, 2)
    assert theirs["activities"] == {"total": 2, "led_locally": 1, "led_locally_share": 0.5}
    assert (theirs_of_a["engagements"], theirs_of_a["activities"]["total"]) == (1, 1)
    assert eng_1_for_b["partners"]["total"] == 1  # org-a's owner-only partner is not counted
    assert (await figures("/engagements/eng-1/inclusion", org_a))["partners"]["total"] == 2
    hidden = await client.get("/engagements/eng-a-private/inclusion", auth=other)
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    ("organization", "role", "person", "sees"),
    [
        pytest.param(OWNER, "coordinator", False, True, id="coordinator"),
        pytest.param(OWNER, "coordinator", True, True, id="coordinator-person"),
        pytest.param(OWNER, "evaluator", False, True, id="evaluator"),
        pytest.param(OWNER, "partner-system", False, False, id="partner-system"),
        pytest.param(OTHER, "coordinator", False, False, id="other-organization"),
        pytest.param(None, "consortium-admin", False, False, id="consortium-admin"),
        pytest.param(None, "observer", True, False, id="observer"),
    ],
)
async def test_contact_people_are_shown_to_the_owning_organizations_people_only(
    client: httpx.AsyncClient,
    register: Any,
    tokens: TokenSource,
    organization: str | None,
    role: str,
    person: bool,
    sees: bool,
) -> None:
    created = await register(contact_people=[CONTACT])
    caller = tokens.auth(organization, role, person=person)

    read = await client.get(f"/partners/{created['id']}", auth=caller)
    (listed,) = (await client.get("/partners", auth=caller)).json()

    assert created["contact_people"] == [CONTACT]
    expected = [CONTACT] if sees else None
    assert read.json()["contact_people"] == expected
    assert listed["contact_people"] == expected
    assert {k: v for k, v in read.json().items() if k != "contact_people"} == {
        k: v for k, v in created.items() if k != "contact_people"
    }


PROFILE_FIELDS = (
    "name",
    "kind",
    "tracks",
    "countries",
    "is_local",
    "women_led",
    "womens_rights_org",
    "iati_org_id",
    "iati_org_type",
)


async def test_every_change_is_audited_with_its_actor_and_no_personal_data(
    client: httpx.AsyncClient,
    db: Database,
    partners: Partners,
    admin: httpx.Auth,
    tokens: TokenSource,
) -> None:
    org_a, partner_id = tokens.auth(OWNER, "coordinator"), partners.a_shared
    read = (await client.get(f"/partners/{partner_id}")).json()
    profile = {k: read[k] for k in PROFILE_FIELDS}
    newcomer = {"name": "Luz Dary Pérez", "email": "luz@example.org", "role": None}

    contacts = await client.put(
        f"/partners/{partner_id}", json={**profile, "contact_people": [newcomer]}
    )
    await client.put(f"/partners/{partner_id}", json={**profile, "kind": "academic"})
    partnership_id = await partnership_of(client, partner_id, "eng-1", org_a)
    await client.post(f"/partnerships/{partnership_id}/end", json={"ends_on": "2026-09-30"})
    joined = await client.post("/members", json={"name": "Alder", "roles": ["lead"]}, auth=admin)

    assert await audited(db) == [
        ("partner", partners.a_shared, "multitrack.partner.registered.v1", OWNER),
        ("partner", partners.a_private, "multitrack.partner.registered.v1", OWNER),
        ("partner", partners.b_shared, "multitrack.partner.registered.v1", OTHER),
        ("partner", partners.b_private, "multitrack.partner.registered.v1", OTHER),
        ("partner", partner_id, "contact people revised", OWNER),
        ("partner", partner_id, "multitrack.partner.updated.v1", OWNER),
        # a partnership's events are keyed by its engagement, and so are its entries
        ("partnership", "eng-1", "multitrack.partnership.formed.v1", OWNER),
        ("partnership", "eng-1", "multitrack.partnership.ended.v1", OWNER),
        ("member", joined.json()["id"], "multitrack.member.joined.v1", None),
    ]
    rows = await db.rows("audit_log")
    (revision,) = [r for r in rows if r.action == "contact people revised"]
    assert revision.request_id == contacts.headers["X-Request-ID"]
    assert (revision.actor_kind, revision.actor_client) == ("client", "org-a-coordinator")
    for personal in (CONTACT["name"], CONTACT["email"], "Luz Dary Pérez", "luz@example.org"):
        assert personal not in str(rows)


async def test_consortium_admins_read_the_audit_of_one_record(
    client: httpx.AsyncClient, partners: Partners, admin: httpx.Auth
) -> None:
    response = await client.get("/audit", params={"record_id": partners.b_private}, auth=admin)

    assert response.status_code == 200, response.text
    (entry,) = response.json()["entries"]
    assert (entry["record_type"], entry["action"], entry["actor_organization"]) == (
        "partner",
        "multitrack.partner.registered.v1",
        OTHER,
    )
