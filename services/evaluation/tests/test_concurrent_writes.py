"""One writer wins on a lesson and on a reference item; conditional writes by ETag.
In-process, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_evaluation.adapters.tables import messaging
from multitrack_evaluation.bootstrap import EvaluationSettings
from multitrack_evaluation.main import create_app
from multitrack_shared.testing.inprocess import offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.races import STALE_TAG, all_at_once, until_overlapped

REVISED = "multitrack.lesson.revised.v3"
RETIRED = "multitrack.lesson.retired.v2"
CHANGED = "multitrack.reference.changed.v1"
LESSON = {
    "statement": "Hear returning families before the land claimants' lawyers.",
    "evidence": "Two evaluations in Montes de María, 2019 and 2022.",
    "confidence": "medium",
    "context": {"countries": ["CO"], "tracks": [4]},
}
TRUST = "/reference/standard_procedure/trust"


@pytest.fixture
async def app(
    tmp_path: Path, either_database: str, keycloak: IdentityProvider
) -> AsyncIterator[FastAPI]:
    issuer = keycloak.issuer.url
    app = create_app(
        offline_settings(EvaluationSettings, tmp_path, either_database, oidc_issuer=issuer)
    )
    async with running(app):
        yield app


async def event_types(app: FastAPI) -> list[str]:
    query = select(messaging.outbox.c.event_type).order_by(messaging.outbox.c.seq)
    async with app.state.runtime.engine.connect() as connection:
        return [row.event_type for row in (await connection.execute(query)).all()]


def a_revision(n: int) -> dict[str, Any]:
    return {**LESSON, "statement": f"Revision {n}: hear returning families first."}


async def test_of_revisions_and_retirements_from_one_version_exactly_one_is_made(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async def storm() -> tuple[str, list[httpx.Response]]:
        recorded = await client.post("/lessons", json=LESSON)
        lesson_id, tag = recorded.json()["id"], recorded.headers["ETag"]
        path = f"/lessons/{lesson_id}"
        headers = {"If-Match": tag}
        return lesson_id, await all_at_once(
            client.put(path, json=a_revision(n), headers=headers)
            if n % 2
            else client.post(f"{path}/retirement", json={"reason": f"reason {n}"}, headers=headers)
            for n in range(50)
        )

    lesson_id, won = await until_overlapped(storm, refusals=frozenset({409, 412}))
    winner = won.json()
    read = await client.get(f"/lessons/{lesson_id}")
    assert read.json() == winner
    assert read.headers["ETag"] == f'"{lesson_id}.2"'
    outbox = messaging.outbox
    made_for_it = select(outbox.c.event_type).where(
        outbox.c.message_key == lesson_id, outbox.c.event_type.in_([REVISED, RETIRED])
    )
    async with app.state.runtime.engine.connect() as connection:
        made = list((await connection.execute(made_for_it)).scalars())
    assert made == [RETIRED if winner["retired_at"] else REVISED]


async def test_of_concurrent_rewordings_from_one_version_exactly_one_is_published(
    app: FastAPI, client: httpx.AsyncClient, admin: httpx.Auth
) -> None:
    storms = 0

    async def storm() -> tuple[str, list[httpx.Response]]:
        # One reference item, so each storm starts from the version the last one left.
        nonlocal storms
        storms += 1
        tag = (await client.put(TRUST, json=wording(0), auth=admin)).headers["ETag"]
        return tag, await all_at_once(
            client.put(TRUST, json=wording(n), headers={"If-Match": tag}, auth=admin)
            for n in range(1, 31)
        )

    _, won = await until_overlapped(storm, refusals=frozenset({409, 412}))
    (listed,) = [
        item
        for item in (await client.get("/reference/standard_procedure")).json()
        if item["code"] == "trust"
    ]
    assert listed == won.json()
    # Each storm: its first rewording, then its one winner.
    assert (await event_types(app)).count(CHANGED) == 2 * storms


def wording(n: int) -> dict[str, Any]:
    return {"label": f"Trust, wording {n}", "description": "No hidden agenda.", "active": True}


async def test_reference_and_lesson_writes_answer_the_new_etag_and_refuse_a_stale_one(
    app: FastAPI, client: httpx.AsyncClient, admin: httpx.Auth
) -> None:
    first = await client.put(TRUST, json=wording(1), auth=admin)
    assert first.headers["ETag"] == '"standard_procedure:trust.2"'  # seeded at version 1
    second = await client.put(
        TRUST, json=wording(2), headers={"If-Match": first.headers["ETag"]}, auth=admin
    )
    assert second.headers["ETag"] == '"standard_procedure:trust.3"'
    lesson = await client.post("/lessons", json=LESSON)
    revised = await client.put(
        f"/lessons/{lesson.json()['id']}",
        json=a_revision(1),
        headers={"If-Match": lesson.headers["ETag"]},
    )
    assert revised.status_code == 200, revised.text
    before = await event_types(app)

    stale_wording = await client.put(
        TRUST, json=wording(3), headers={"If-Match": first.headers["ETag"]}, auth=admin
    )
    stale_retirement = await client.post(
        f"/lessons/{lesson.json()['id']}/retirement",
        json={"reason": "superseded"},
        headers={"If-Match": lesson.headers["ETag"]},
    )

    for refused in (stale_wording, stale_retirement):
        assert refused.status_code == 412, refused.text
        assert refused.json()["error"]["code"] == STALE_TAG
    assert await event_types(app) == before
    assert (await client.get(f"/lessons/{lesson.json()['id']}")).json() == revised.json()
