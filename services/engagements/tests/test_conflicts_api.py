"""/conflicts over HTTP: a conflict as a shared record, three engagements of two organizations
opened on it from accepted invitations, and the consortium's compass with its uncovered tracks,
as far as each caller may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.evaluation import LessonContextV3, LessonRecordedV3
from multitrack_shared.events.invitations import InviterProfile
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .conftest import Database, Deliver, OpenEngagement, activity_body

CONFLICT = {
    "name": "Montes de María land conflict",
    "country": "CO",
    "region": "Caribbean region",
    "conflict_type": "land",
    "phase": "post-agreement",
    "actors": [
        {"name": "Asociación de Campesinos", "side": "land claimants", "track": 4,
         "role": "party"},
    ],
}  # fmt: skip


async def register(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await client.post("/conflicts", json={**CONFLICT, **changes})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def open_on(
    open_engagement: OpenEngagement,
    conflict_id: str,
    owner: str,
    inviter_track: int,
    visibility: Visibility = Visibility.consortium,
) -> str:
    return await open_engagement(
        ownership=Ownership(owner_org=owner, visibility=visibility),
        inviter=InviterProfile(kind="council", track=inviter_track, is_party_to_conflict=True),
        conflict=ConflictContext(
            name="Montes de María land conflict", country="CO", conflict_id=conflict_id
        ),
    )


async def test_the_compass_of_a_conflict_with_three_engagements_of_two_organizations(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    conflict = await register(client)
    a1 = await open_on(open_engagement, conflict["id"], "org-a", 4)
    a2 = await open_on(open_engagement, conflict["id"], "org-a", 1)
    b1 = await open_on(open_engagement, conflict["id"], "org-b", 5)
    await open_engagement()  # the same country, no shared record: not on the compass
    activity = await client.post(f"/engagements/{a1}/activities", json=activity_body())
    assert activity.status_code == 201, activity.text  # tracks 4 and 7

    response = await client.get(
        f"/conflicts/{conflict['id']}/compass", auth=tokens.auth("org-b", "coordinator")
    )

    assert response.status_code == 200, response.text
    compass = response.json()
    assert compass["conflict"]["name"] == "Montes de María land conflict"
    assert sorted((e["engagement_id"], e["owner_org"]) for e in compass["engagements"]) == sorted(
        [(a1, "org-a"), (a2, "org-a"), (b1, "org-b")]
    )
    assert compass["members"] == ["org-a", "org-b"]
    assert [t["track"] for t in compass["uncovered"]] == [2, 3, 6, 8, 9]
    seventh = compass["tracks"][6]
    assert (seventh["track"], seventh["covered"], seventh["engagements"]) == (7, True, [a1])
    # another organization sees sides and tracks of the actors, not their names
    assert compass["conflict"]["actors"][0]["name"] is None
    assert compass["conflict"]["actors"][0]["side"] == "land claimants"


async def test_an_owner_only_engagement_counts_for_its_own_organization_only(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    conflict = await register(client)
    await open_on(open_engagement, conflict["id"], "org-a", 7, Visibility.owner)
    await open_on(open_engagement, conflict["id"], "org-b", 5)

    def uncovered(answer: httpx.Response) -> list[int]:
        assert answer.status_code == 200, answer.text
        return [t["track"] for t in answer.json()["uncovered"]]

    path = f"/conflicts/{conflict['id']}/compass"
    by_a = await client.get(path)
    by_b = await client.get(path, auth=tokens.auth("org-b", "coordinator"))

    assert 7 not in uncovered(by_a)
    assert 7 in uncovered(by_b)
    assert by_b.json()["members"] == ["org-b"]
    assert len(by_b.json()["engagements"]) == 1


async def test_a_conflict_is_registered_read_listed_and_revised_with_its_entity_tag(
    client: httpx.AsyncClient, db: Database, tokens: TokenSource
) -> None:
    conflict = await register(client)
    path = f"/conflicts/{conflict['id']}"

    read = await client.get(path)
    listed = await client.get("/conflicts", params={"country": "CO"})
    revised = await client.put(
        path, json={**CONFLICT, "phase": "escalation"}, headers={"If-Match": read.headers["ETag"]}
    )
    stale = await client.put(path, json=CONFLICT, headers={"If-Match": read.headers["ETag"]})
    by_b = await client.put(path, json=CONFLICT, auth=tokens.auth("org-b", "coordinator"))

    assert read.json()["actors"][0]["name"] == "Asociación de Campesinos"
    assert [c["id"] for c in listed.json()] == [conflict["id"]]
    assert revised.status_code == 200, revised.text
    assert revised.json()["phase"] == "escalation"
    assert stale.status_code == 412
    assert (by_b.status_code, by_b.json()["error"]["code"]) == (403, "not_owner")
    types = await db.outbox_types()
    assert types.count("multitrack.conflict.registered.v1") == 1
    assert types.count("multitrack.conflict.revised.v1") == 1


async def test_an_owner_only_conflict_is_hidden_from_other_organizations(
    client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    conflict = await register(client, visibility="owner")
    other = tokens.auth("org-b", "coordinator")

    assert (await client.get(f"/conflicts/{conflict['id']}", auth=other)).status_code == 404
    assert (await client.get(f"/conflicts/{conflict['id']}/compass", auth=other)).status_code == 404
    assert (await client.get("/conflicts", auth=other)).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({**CONFLICT, "country": "ZZ"}, "body.country"), ({**CONFLICT, "name": ""}, "body.name")],
)
async def test_a_conflict_with_bad_input_is_refused_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/conflicts", json=body)

    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [field]


async def test_conflicts_need_a_token_and_a_coordinator_to_register(
    client: httpx.AsyncClient, org_a_observer: BearerAuth
) -> None:
    anonymous = await client.get("/conflicts", auth=None)
    observer = await client.post("/conflicts", json=CONFLICT, auth=org_a_observer)

    assert anonymous.status_code == 401
    assert (observer.status_code, observer.json()["error"]["code"]) == (403, "role_required")


def a_lesson_on(conflict_id: str, lesson_id: str = "on-the-conflict") -> LessonRecordedV3:
    return LessonRecordedV3(
        lesson_id=lesson_id,
        ownership=Ownership(owner_org="org-b"),
        statement="Hear the returning families before the land claimants meet them",
        confidence=Confidence.high,
        context=LessonContextV3(conflict_ids=[conflict_id]),
        recorded_at=datetime(2024, 3, 1, tzinfo=UTC),
    )


async def test_an_open_engagement_linked_to_a_conflict_joins_its_compass_search_and_lessons(
    client: httpx.AsyncClient,
    open_engagement: OpenEngagement,
    deliver: Deliver,
    tokens: TokenSource,
) -> None:
    conflict = await register(client)
    engagement_id = await open_engagement()  # opened before the conflict was registered
    await deliver(a_lesson_on(conflict["id"]))
    read = await client.get(f"/engagements/{engagement_id}")
    assert read.json()["conflict"]["conflict_id"] is None

    linked = await client.put(
        f"/engagements/{engagement_id}/conflict",
        json={"conflict_id": conflict["id"]},
        headers={"If-Match": read.headers["ETag"]},
    )

    assert linked.status_code == 200, linked.text
    assert linked.json()["conflict"]["conflict_id"] == conflict["id"]
    assert linked.headers["ETag"] != read.headers["ETag"]
    compass = (await client.get(f"/conflicts/{conflict['id']}/compass")).json()
    assert [e["engagement_id"] for e in compass["engagements"]] == [engagement_id]
    found = await client.get("/engagements", params={"conflict_id": conflict["id"]})
    assert [e["id"] for e in found.json()] == [engagement_id]
    inbox = (await client.get(f"/engagements/{engagement_id}/lessons")).json()
    assert [(d["lesson_id"], d["reasons"]) for d in inbox] == [
        ("on-the-conflict", [f"same conflict: {conflict['id']}"])
    ]
    unlinked = await client.put(
        f"/engagements/{engagement_id}/conflict", json={"conflict_id": None}
    )
    assert unlinked.json()["conflict"]["conflict_id"] is None
    assert (await client.get(f"/engagements/{engagement_id}/lessons")).json() == []


async def test_the_search_by_conflict_leaves_out_another_organizations_owner_only_work(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    conflict = await register(client)
    mine = await open_on(open_engagement, conflict["id"], "org-a", 4)
    theirs = await open_on(open_engagement, conflict["id"], "org-b", 5, Visibility.owner)

    async def seen_by(org: str) -> list[str]:
        response = await client.get(
            "/engagements",
            params={"conflict_id": conflict["id"]},
            auth=tokens.auth(org, "coordinator"),
        )
        assert response.status_code == 200, response.text
        return sorted(e["id"] for e in response.json())

    assert await seen_by("org-a") == [mine]
    assert await seen_by("org-b") == sorted([mine, theirs])


async def test_a_link_to_a_conflict_unknown_elsewhere_or_by_another_organization_is_refused(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    engagement_id = await open_engagement()
    in_kenya = await register(client, country="KE", name="Rift Valley land disputes")
    hidden_response = await client.post(
        "/conflicts",
        json={**CONFLICT, "visibility": "owner"},
        auth=tokens.auth("org-b", "coordinator"),
    )
    assert hidden_response.status_code == 201, hidden_response.text
    hidden = hidden_response.json()
    colombia = await register(client)

    async def link(conflict_id: object, **options: Any) -> httpx.Response:
        return await client.put(
            f"/engagements/{engagement_id}/conflict", json={"conflict_id": conflict_id}, **options
        )

    refusals = {
        "unknown": await link("no-such-conflict"),
        "hidden": await link(hidden["id"]),
        "elsewhere": await link(in_kenya["id"]),
        "not a record id": await link(12),
        "not the owner": await link(colombia["id"], auth=tokens.auth("org-b", "coordinator")),
    }

    assert {name: (r.status_code, r.json()["error"]["code"]) for name, r in refusals.items()} == {
        "unknown": (422, "unknown_conflict"),
        "hidden": (422, "unknown_conflict"),
        "elsewhere": (422, "conflict_elsewhere"),
        "not a record id": (422, "validation_error"),
        "not the owner": (403, "not_owner"),
    }
