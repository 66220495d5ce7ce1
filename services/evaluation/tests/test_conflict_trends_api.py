"""A conflict's trends through the HTTP API: the engagements on it learnt from their opening
events, their activities and follow-ups quarter by quarter, counted only where the caller may
see them (another organization's owner-only engagement is neither counted nor named)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx

from multitrack_shared.events import engagements as eng
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Apply, opened
from .unit.samples import an_activity

CONFLICT = "c-land"
LAND = ConflictContext(name="Montes de María land conflict", country="CO", conflict_id=CONFLICT)


def on_land(engagement_id: str, ownership: Ownership, *led: bool) -> list[IntegrationEvent]:
    """An engagement on the land conflict: its opening, one activity per ``led`` in May 2024
    and a follow-up in October that reached 10 former participants, ``len(led)`` using the
    skills."""
    activities = [
        an_activity(f"{engagement_id}-a{n}", date(2024, 5, 2), locally).model_copy(
            update={"engagement_id": engagement_id}
        )
        for n, locally in enumerate(led)
    ]
    follow_up = eng.FollowUpRecorded(
        engagement_id=engagement_id,
        follow_up_id=f"{engagement_id}-f",
        held_on=date(2024, 10, 2),
        participants_reached=10,
        using_skills=len(led),
        after_closure=False,
        recorded_at=datetime(2024, 10, 2, tzinfo=UTC),
    )
    opening = opened(engagement_id, ownership=ownership, conflict=LAND)
    return [opening, *activities, follow_up]


async def trends_of(client: httpx.AsyncClient, auth: httpx.Auth) -> dict[str, Any]:
    response = await client.get(f"/conflicts/{CONFLICT}/trends", auth=auth)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_conflicts_trends_count_only_the_engagements_the_caller_may_see(
    client: httpx.AsyncClient, apply: Apply, tokens: TokenSource
) -> None:
    await apply(*on_land("eng-shared", Ownership(owner_org=OWNER), True, False))
    quiet = Ownership(owner_org=OTHER, visibility=Visibility.owner)
    await apply(*on_land("eng-quiet", quiet, True, True, True))
    await apply(opened("eng-elsewhere"))  # linked to no shared conflict

    owner = await trends_of(client, tokens.auth(OTHER, "coordinator"))
    other = await trends_of(client, tokens.auth(OWNER, "evaluator"))

    assert owner["engagement_ids"] == ["eng-quiet", "eng-shared"]
    q2, q4 = owner["trends"]
    assert (q2["quarter"], q2["activities"], q2["empowerment"]) == ("2024-Q2", 5, 0.8)
    assert (q4["quarter"], q4["participants_reached"], q4["skills_share"]) == ("2024-Q4", 20, 0.25)
    assert other["engagement_ids"] == ["eng-shared"]
    q2, q4 = other["trends"]
    assert (q2["activities"], q2["empowerment"], q2["local_methods_share"]) == (2, 0.5, 1.0)
    assert (q4["participants_reached"], q4["using_skills"], q4["skills_share"]) == (10, 2, 0.2)
    assert "eng-quiet" not in str(other)


async def test_a_conflict_known_through_no_visible_engagement_is_not_found(
    client: httpx.AsyncClient, apply: Apply, tokens: TokenSource
) -> None:
    quiet = Ownership(owner_org=OTHER, visibility=Visibility.owner)
    await apply(*on_land("eng-quiet", quiet, True))

    hidden = await client.get(f"/conflicts/{CONFLICT}/trends")
    unknown = await client.get("/conflicts/c-nowhere/trends")

    assert (hidden.status_code, unknown.status_code) == (404, 404)
    assert hidden.json() == json.loads(unknown.text.replace("c-nowhere", CONFLICT))
    assert hidden.json()["error"]["fields"][0]["field"] == "conflict_id"
    seen_by_owner = await client.get(
        f"/conflicts/{CONFLICT}/trends", auth=tokens.auth(OTHER, "evaluator")
    )
    assert seen_by_owner.status_code == 200, seen_by_owner.text


async def test_an_overlong_conflict_id_answers_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/conflicts/{'c' * 101}/trends")

    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["path.conflict_id"]
