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
from multitrack_shared.testing.races import STALE_TAG, all_at_once, sole_winner

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
    recorded = await client.post("/lessons", json=LESSON)
    lesson_id, tag = recorded.json()["id"], recorded.headers["ETag"]
    path = f"/lessons/{lesson_id}"
    headers = {"If-Match": tag}
    writes = [
        client.put(path, json=a_revision(n), headers=headers)
        if n % 2
        else client.post(f"{path}/retirement", json={"reason": f"reason {n}"}, headers=headers)
        for n in range(50)
    ]

    answers = await all_at_once(writes)

    winner = sole_winner(answers, refusals=frozenset({409, 412})).json()
    read = await client.get(path)
    assert read.json() == winner
    assert read.headers["ETag"] == f'"{lesson_id}.2"'
    made = [t for t in await event_types(app) if t in {REVISED, RETIRED}]
    assert made == [RETIRED if winner["retired_at"] else REVISED]


async def test_of_concurrent_rewordings_from_one_version_exactly_one_is_published(
    app: FastAPI, client: httpx.AsyncClient, admin: httpx.Auth
) -> None:
    tag = (await client.put(TRUST, json=wording(0), auth=admin)).headers["ETag"]

    answers = await all_at_once(
        client.put(TRUST, json=wording(n), headers={"If-Match": tag}, auth=admin)
        for n in range(1, 31)
    )

    winner = sole_winner(answers, refusals=frozenset({409, 412})).json()
    (listed,) = [
        item
        for item in (await client.get("/reference/standard_procedure")).json()
        if item["code"] == "trust"
    ]
    assert listed == winner
    assert (await event_types(app)).count(CHANGED) == 2  # the first rewording, then the winner


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
