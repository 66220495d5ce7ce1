"""The engagement page in one read (``GET /engagements/{id}/overview``): each part exactly what
its own endpoint answers the same caller, personal data and owner-only lessons withheld alike,
and 404 for a hidden or missing engagement as every read of one engagement answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Api, Deliver, OpenEngagement, lesson_of

PARTS = {
    "engagement": "",
    "coverage": "/coverage",
    "activities": "/activities",
    "listening": "/listening",
    "analyses": "/analyses",
    "lessons": "/lessons",
}
"""Each part of the overview, and the path (after the engagement's) of the read it repeats."""
PERSONAL = ("María Pérez", "Rosa Villa", "Luis Mendoza")
"""Names the sample analysis, hearing and activity keep: the owner's people see them only."""


async def recorded_engagement(
    open_engagement: OpenEngagement, api: Api, deliver: Deliver, client: httpx.AsyncClient
) -> str:
    """A consortium-visible engagement of org-a with an analysis, parties heard, an activity,
    an owner-only lesson and a consortium one, the first responded to (its reasoning personal)."""
    engagement_id = await open_engagement()
    await api.listened_to_every_side(engagement_id)
    await api.activity(engagement_id)
    await deliver(lesson_of("private", OWNER, Visibility.owner))
    await deliver(lesson_of("shared", OTHER, Visibility.consortium))
    responded = await client.post(
        f"/engagements/{engagement_id}/lessons/shared/response",
        json={"response": "adapted", "why": "Rosa Villa asked for the market town instead."},
    )
    assert responded.status_code == 201, responded.text
    return engagement_id


async def one_by_one(
    client: httpx.AsyncClient, engagement_id: str, auth: httpx.Auth
) -> dict[str, Any]:
    """What the six reads answer ``auth``, as the overview's parts."""
    answers: dict[str, Any] = {}
    for part, path in PARTS.items():
        response = await client.get(f"/engagements/{engagement_id}{path}", auth=auth)
        assert response.status_code == 200, (part, response.text)
        answers[part] = response.json()
    return answers


async def overview(client: httpx.AsyncClient, engagement_id: str, auth: httpx.Auth) -> Any:
    response = await client.get(f"/engagements/{engagement_id}/overview", auth=auth)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("org", "role"),
    [
        (OWNER, "coordinator"),
        (OWNER, "evaluator"),
        (OTHER, "coordinator"),
        (None, "consortium-admin"),
    ],
)
async def test_the_overview_is_what_the_six_reads_answer_the_same_caller(
    open_engagement: OpenEngagement,
    api: Api,
    deliver: Deliver,
    client: httpx.AsyncClient,
    tokens: TokenSource,
    org: str | None,
    role: str,
) -> None:
    engagement_id = await recorded_engagement(open_engagement, api, deliver, client)
    auth = tokens.auth(org, role)

    together = await overview(client, engagement_id, auth)

    assert together == await one_by_one(client, engagement_id, auth)
    assert len(together["activities"]) == len(together["analyses"]) == 1
    assert len(together["listening"]["entries"]) == 2
    assert sorted(d["lesson_id"] for d in together["lessons"]) == (
        ["private", "shared"] if org == OWNER else ["shared"]
    )


async def test_another_organization_sees_neither_personal_data_nor_owner_only_lessons(
    open_engagement: OpenEngagement,
    api: Api,
    deliver: Deliver,
    client: httpx.AsyncClient,
    tokens: TokenSource,
) -> None:
    engagement_id = await recorded_engagement(open_engagement, api, deliver, client)

    own = await overview(client, engagement_id, tokens.auth(OWNER, "coordinator"))
    other = await overview(client, engagement_id, tokens.auth(OTHER, "coordinator"))

    assert sorted(d["lesson_id"] for d in own["lessons"]) == ["private", "shared"]
    assert [d["lesson_id"] for d in other["lessons"]] == ["shared"]
    assert all(name in str(own) for name in PERSONAL)
    assert not any(name in str(other) for name in PERSONAL)
    # the same records, counted alike: only what is personal is withheld
    assert len(other["activities"]) == len(own["activities"]) == 1
    assert other["coverage"] == own["coverage"]


async def test_a_hidden_engagement_answers_404_as_a_missing_one(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    hidden = await open_engagement(
        ownership=Ownership(owner_org=OWNER, visibility=Visibility.owner)
    )
    auth = tokens.auth(OTHER, "coordinator")

    refused = await client.get(f"/engagements/{hidden}/overview", auth=auth)
    missing = await client.get("/engagements/no-such-engagement/overview", auth=auth)
    read_alone = await client.get(f"/engagements/{hidden}", auth=auth)

    assert refused.status_code == missing.status_code == read_alone.status_code == 404
    assert refused.json() == read_alone.json()
    assert refused.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert refused.text.replace(hidden, "no-such-engagement") == missing.text
