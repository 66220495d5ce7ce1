"""What each caller sees of another organization's records, in evaluation.

Another organization's owner-only engagement (its digest, its place in the overdue list, its
count in its conflict's trends), evaluation or lesson is not found, anywhere: not in reads, not
in lists, searches or pages, and the answer is the one a missing record gets. A
consortium-visible one it may read but not change. Consortium admins and observers, acting for
no organization, see no organization's owner-only records.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from multitrack_shared.testing.access_matrix import refused
from multitrack_shared.testing.inprocess import ServiceTables
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .access_world import (
    CHANGES_OF_ONE,
    COMPLETE,
    MISSING,
    READS_OF_ONE,
    RETIRE,
    REVISE,
    SECRET,
    Records,
    World,
    a_world,
    calls,
)
from .conftest import OTHER, OWNER, Apply, SetClock


@pytest.fixture
async def world(client: httpx.AsyncClient, apply: Apply) -> World:
    return await a_world(client, apply)


@pytest.mark.parametrize("operation", [*READS_OF_ONE, REVISE, RETIRE])
async def test_another_organizations_owner_only_record_is_not_found_as_if_missing(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    consortium_observer: BearerAuth,
    admin: httpx.Auth,
    operation: str,
) -> None:
    others = [tokens.auth(OTHER, role) for role in ("evaluator", "coordinator", "partner-system")]
    for auth in [*others, admin, consortium_observer]:
        hidden = await refused(
            client,
            calls(world.private)[operation],
            auth=auth,
            status=404,
            code="not_found",
            stored=db.snapshot,
        )
        missing = await calls(MISSING)[operation].send(client, auth)

        assert missing.status_code == 404
        assert hidden.json() == json.loads(_as_if(missing.text, world.private))
        assert SECRET not in hidden.text


async def test_evaluating_another_organizations_owner_only_engagement_is_as_for_an_unknown_one(
    client: httpx.AsyncClient, world: World, db: ServiceTables, tokens: TokenSource
) -> None:
    other = tokens.auth(OTHER, "evaluator")

    hidden = await refused(
        client,
        calls(world.private)[COMPLETE],
        auth=other,
        status=422,
        code="unknown_engagement",
        stored=db.snapshot,
    )
    missing = await calls(MISSING)[COMPLETE].send(client, other)

    assert hidden.json() == json.loads(_as_if(missing.text, world.private))


def _as_if(answer: str, records: Records) -> str:
    """A missing record's answer, naming the hidden record instead."""
    for name in ("engagement", "evaluation", "lesson", "conflict"):
        answer = answer.replace(getattr(MISSING, name), getattr(records, name))
    return answer


@pytest.mark.parametrize("operation", CHANGES_OF_ONE)
async def test_another_organization_reads_a_consortium_visible_record_but_does_not_change_it(
    client: httpx.AsyncClient,
    world: World,
    db: ServiceTables,
    tokens: TokenSource,
    operation: str,
) -> None:
    other = tokens.auth(OTHER, "evaluator")
    one = calls(world.shared)

    await refused(
        client, one[operation], auth=other, status=403, code="not_owner", stored=db.snapshot
    )

    for read in READS_OF_ONE:
        answer = await one[read].send(client, other)
        assert answer.status_code == 200, f"{read}: {answer.text}"


async def test_no_list_search_or_overdue_list_of_another_organization_shows_an_owner_only_record(
    client: httpx.AsyncClient,
    world: World,
    tokens: TokenSource,
    consortium_observer: BearerAuth,
    admin: httpx.Auth,
    set_clock: SetClock,
) -> None:
    set_clock(datetime(2040, 1, 1, tzinfo=UTC))  # both engagements overdue by then
    shared, private = world.shared, world.private
    searches: list[tuple[str, dict[str, Any], str, list[str]]] = [
        ("/evaluations", {}, "id", [shared.evaluation]),
        ("/evaluations", {"engagement_id": private.engagement}, "id", []),
        ("/lessons", {}, "id", [shared.lesson]),
        ("/lessons", {"country": "CO", "track": 4, "active": "true"}, "id", [shared.lesson]),
        ("/engagements", {}, "engagement_id", [shared.engagement]),
        ("/engagements", {"country": "CO"}, "engagement_id", [shared.engagement]),
        ("/engagements/overdue", {}, "engagement_id", [shared.engagement]),
    ]

    async def listed(auth: httpx.Auth, path: str, params: dict[str, Any], key: str) -> list[str]:
        response = await client.get(path, params=params, auth=auth)
        assert response.status_code == 200, response.text
        return [item[key] for item in response.json()]

    others = [tokens.auth(OTHER, role) for role in ("evaluator", "coordinator", "partner-system")]
    for auth in [*others, admin, consortium_observer]:
        for path, params, key, visible in searches:
            assert await listed(auth, path, params, key) == visible, (path, params)
            assert SECRET not in (await client.get(path, params=params, auth=auth)).text
            if path == "/engagements/overdue":
                continue  # not paged
            # Filtered before paging: the first page holds it alone, and there is no second.
            assert await listed(auth, path, {**params, "limit": 1}, key) == visible
            assert await listed(auth, path, {**params, "limit": 1, "offset": 1}, key) == []
    own = tokens.auth(OWNER, "partner-system")
    for path, params, key, _ in searches:
        if not params:
            assert len(await listed(own, path, params, key)) == 2, path
