"""One writer wins on an engagement: concurrent status changes, concurrent activities,
overlapping budget lines, and conditional writes by ETag. In-process, on SQLite and on
PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_engagements.bootstrap import EngagementsSettings
from multitrack_engagements.main import create_app
from multitrack_shared.http.deps import clock
from multitrack_shared.testing.inprocess import offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.races import STALE_TAG, all_at_once, until_overlapped

from .conftest import Api, Database, MovableClock, OpenEngagement, budget_body

STATUS_CHANGED = "multitrack.engagement.status_changed.v2"
ACTIVITY_RECORDED = "multitrack.engagement.activity_recorded.v2"


@pytest.fixture
async def app(
    tmp_path: Path, now: MovableClock, either_database: str, keycloak: IdentityProvider
) -> AsyncIterator[FastAPI]:
    issuer = keycloak.issuer.url
    app = create_app(
        offline_settings(EngagementsSettings, tmp_path, either_database, oidc_issuer=issuer)
    )
    app.dependency_overrides[clock] = lambda: now
    async with running(app):
        yield app


async def test_of_50_status_changes_from_one_version_exactly_one_is_made(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient, db: Database
) -> None:
    async def storm() -> tuple[str, list[httpx.Response]]:
        engagement_id = await open_engagement()
        await api.active(engagement_id)
        tag = (await client.get(f"/engagements/{engagement_id}")).headers["ETag"]
        changes = [
            {"to": "paused"} if n % 2 else {"to": "closing", "reason": "safety"} for n in range(50)
        ]
        path = f"/engagements/{engagement_id}/status"
        return engagement_id, await all_at_once(
            client.post(path, json=body, headers={"If-Match": tag}) for body in changes
        )

    engagement_id, won = await until_overlapped(storm, refusals=frozenset({409, 412}))
    winner = won.json()
    changed = [
        row.data["to_status"]
        for row in await db.outbox()
        if row.event_type == STATUS_CHANGED and row.message_key == engagement_id
    ]
    assert changed == ["active", winner["status"]]
    read = (await client.get(f"/engagements/{engagement_id}")).json()
    assert read["status"] == winner["status"]
    assert [h["to_status"] for h in read["history"]] == ["active", winner["status"]]


async def test_concurrent_activities_each_count_once_in_the_method_blend_or_are_refused(
    open_engagement: OpenEngagement,
    client: httpx.AsyncClient,
    db: Database,
    bodies: dict[str, Callable[..., dict[str, Any]]],
) -> None:
    engagement_id = await open_engagement()
    path = f"/engagements/{engagement_id}/activities"

    answers = await all_at_once(client.post(path, json=bodies["activity"]()) for _ in range(12))

    recorded = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code != 201]
    assert recorded, [a.text for a in answers]
    assert refused, "the requests did not overlap: every one was recorded in turn"
    assert {(a.status_code, a.json()["error"]["code"]) for a in refused} <= {
        (409, "concurrent_update")
    }
    blend = (await client.get(f"/engagements/{engagement_id}")).json()["method_blend"]
    assert blend == {"local": 2 * len(recorded), "external": len(recorded)}
    assert len(await db.rows("activities")) == len(recorded)
    types = await db.outbox_types()
    assert types.count(ACTIVITY_RECORDED) == len(recorded)


async def test_status_changes_answer_the_new_etag_and_refuse_a_stale_one_with_412(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    read = await client.get(f"/engagements/{engagement_id}")
    current = read.headers["ETag"]
    assert current == f'"{engagement_id}.2"'  # opened, then made active

    paused = await client.post(
        f"/engagements/{engagement_id}/status",
        json={"to": "paused"},
        headers={"If-Match": current},
    )
    assert paused.status_code == 200, paused.text
    assert paused.headers["ETag"] == f'"{engagement_id}.3"'
    before = await db.snapshot()

    stale = await client.post(
        f"/engagements/{engagement_id}/status",
        json={"to": "active"},
        headers={"If-Match": current},
    )

    assert stale.status_code == 412, stale.text
    assert stale.json()["error"]["code"] == STALE_TAG
    assert await db.snapshot() == before


async def test_a_version_of_the_analysis_never_changes_so_its_etag_names_its_first_version(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()
    await api.analysis(engagement_id)

    read = await client.get(f"/engagements/{engagement_id}/analyses/1")

    assert read.headers["ETag"] == f'"{engagement_id}/analyses/1.1"'


async def test_of_overlapping_budget_lines_planned_at_once_exactly_one_is_kept(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, db: Database
) -> None:
    async def storm() -> tuple[str, list[httpx.Response]]:
        engagement_id = await open_engagement()
        path = f"/engagements/{engagement_id}/budget"
        lines = [
            budget_body(period_start=f"2025-{month:02}-01", period_end="2025-12-31")
            for month in range(1, 13)
        ]
        return engagement_id, await all_at_once(client.post(path, json=b) for b in lines)

    engagement_id, won = await until_overlapped(storm, success=201)

    kept = [r for r in await db.rows("budget_lines") if r.engagement_id == engagement_id]
    assert [r.id for r in kept] == [won.json()["id"]]
