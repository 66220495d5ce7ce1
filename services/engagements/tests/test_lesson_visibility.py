"""Lessons and the organizations that may read them: an owner-only lesson reaches only its
owner's engagements, and no caller finds a lesson it may not read in any engagement's inbox or
briefing, whoever owns the engagement."""

from __future__ import annotations

import httpx

from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Deliver, OpenEngagement, lesson_of


async def lessons_seen(
    client: httpx.AsyncClient, engagement_id: str, auth: httpx.Auth
) -> dict[str, list[str]]:
    """The lesson ids of the engagement's inbox and of its briefing, as ``auth`` sees them."""
    seen: dict[str, list[str]] = {}
    for what in ("lessons", "briefing"):
        response = await client.get(f"/engagements/{engagement_id}/{what}", auth=auth)
        assert response.status_code == 200, response.text
        seen[what] = sorted(d["lesson_id"] for d in response.json())
    return seen


async def test_an_owner_only_lesson_of_one_organization_never_reaches_anothers_engagements(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    client: httpx.AsyncClient,
    tokens: TokenSource,
) -> None:
    ours = await open_engagement()
    theirs_private = await open_engagement(
        ownership=Ownership(owner_org=OTHER, visibility=Visibility.owner)
    )
    theirs_shared = await open_engagement(ownership=Ownership(owner_org=OTHER))

    await deliver(lesson_of("private", OWNER, Visibility.owner))
    await deliver(lesson_of("shared", OWNER, Visibility.consortium))

    everything = {"lessons": ["private", "shared"], "briefing": ["private", "shared"]}
    shared_only = {"lessons": ["shared"], "briefing": ["shared"]}
    own = tokens.auth(OWNER, "coordinator")
    assert await lessons_seen(client, ours, own) == everything
    for role in ("coordinator", "evaluator", "partner-system"):
        other = tokens.auth(OTHER, role)
        assert await lessons_seen(client, theirs_private, other) == shared_only
        assert await lessons_seen(client, theirs_shared, other) == shared_only
    assert await lessons_seen(client, theirs_shared, own) == shared_only


async def test_in_an_engagement_it_may_read_a_caller_sees_only_the_lessons_it_may_read(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    client: httpx.AsyncClient,
    tokens: TokenSource,
) -> None:
    ours = await open_engagement()  # consortium-visible: org-b reads it
    await deliver(lesson_of("private", OWNER, Visibility.owner))
    await deliver(lesson_of("shared", OTHER, Visibility.consortium))

    mine = await lessons_seen(client, ours, tokens.auth(OWNER, "evaluator"))
    theirs = await lessons_seen(client, ours, tokens.auth(OTHER, "coordinator"))
    admins = await lessons_seen(client, ours, tokens.auth(None, "consortium-admin"))

    assert mine == {"lessons": ["private", "shared"], "briefing": ["private", "shared"]}
    assert theirs == admins == {"lessons": ["shared"], "briefing": ["shared"]}
