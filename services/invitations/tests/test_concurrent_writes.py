"""One writer wins: concurrent decisions on one invitation, and conditional writes by ETag.

The app runs in-process, on SQLite and on PostgreSQL; its requests overlap for real, because
each one awaits the database between reading the invitation and writing it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_invitations.bootstrap import InvitationsSettings
from multitrack_invitations.main import create_app
from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.races import LOST_RACE, STALE_TAG, all_at_once, until_overlapped
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OWNER

INVITATIONS = metadata.tables["invitations"]
ACCEPTED = "multitrack.invitation.accepted.v2"
DECLINED = "multitrack.invitation.declined.v2"
DECISIONS = {ACCEPTED, DECLINED}
DECLINE = {"outcome": "decline", "rationale": "Outside our mandate.", "decided_by": "board"}


@pytest.fixture
async def app(
    tmp_path: Path, either_database: str, keycloak: IdentityProvider
) -> AsyncIterator[FastAPI]:
    settings = offline_settings(
        InvitationsSettings, tmp_path, either_database, oidc_issuer=keycloak.issuer.url
    )
    app = create_app(settings)
    async with running(app):
        yield app


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, auth=tokens.auth(OWNER, "coordinator")) as client:
        yield client


async def assessed(client: httpx.AsyncClient) -> httpx.Response:
    created = await client.post("/invitations", json=invitation_body())
    assert created.status_code == 201, created.text
    invitation_id = created.json()["id"]
    response = await client.put(f"/invitations/{invitation_id}/assessment", json=assessment_body())
    assert response.status_code == 200, response.text
    return response


async def stored(app: FastAPI, invitation_id: str) -> tuple[list[Any], list[str]]:
    """The invitation's rows and its events' types, read straight from the database."""
    outbox = messaging.outbox
    rows = select(INVITATIONS).where(INVITATIONS.c.id == invitation_id)
    types = (
        select(outbox.c.event_type)
        .where(outbox.c.message_key == invitation_id)
        .order_by(outbox.c.seq)
    )
    async with app.state.runtime.engine.connect() as connection:
        invitations = (await connection.execute(rows)).all()
        events = (await connection.execute(types)).all()
    return list(invitations), [row.event_type for row in events]


async def test_of_25_accepts_and_25_declines_at_once_exactly_one_decides(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async def storm() -> tuple[str, list[httpx.Response]]:
        invitation_id = (await assessed(client)).json()["id"]
        url = f"/invitations/{invitation_id}/decision"
        started = time.monotonic()
        answers = await all_at_once(
            client.post(url, json=acceptance_body() if n % 2 else DECLINE) for n in range(50)
        )
        elapsed = time.monotonic() - started
        # Writers queue for the database briefly; none deadlocks or waits out SQLite's 30 s
        # busy timeout, which would have answered 503.
        assert elapsed < 10, f"the 50 writers took {elapsed:.1f} s"
        codes = Counter(a.json()["error"]["code"] for a in answers if a.status_code == 409)
        assert set(codes) <= {LOST_RACE, "invalid_transition"}, codes
        return invitation_id, answers

    invitation_id, won = await until_overlapped(storm)
    winner = won.json()
    (row,), types = await stored(app, invitation_id)
    assert row.status == winner["status"]
    assert row.decision["accepted"] == (winner["status"] == "accepted")
    assert row.version == 3  # received, assessed, decided: one write each
    decisions = [t for t in types if t in DECISIONS]
    assert decisions == [ACCEPTED if winner["status"] == "accepted" else DECLINED]
    read = (await client.get(f"/invitations/{invitation_id}")).json()
    assert read["status"] == winner["status"]
    assert read["decision"]["outcome"] == ("accept" if row.decision["accepted"] else "decline")


async def test_a_read_carries_an_etag_and_each_write_answers_the_next_one(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post("/invitations", json=invitation_body())
    invitation_id = created.json()["id"]
    assert created.headers["ETag"] == f'"{invitation_id}.1"'
    read = await client.get(f"/invitations/{invitation_id}")
    assert read.headers["ETag"] == f'"{invitation_id}.1"'

    assessed = await client.put(
        f"/invitations/{invitation_id}/assessment",
        json=assessment_body(),
        headers={"If-Match": read.headers["ETag"]},
    )

    assert assessed.status_code == 200, assessed.text
    assert assessed.headers["ETag"] == f'"{invitation_id}.2"'
    assert (await client.get(f"/invitations/{invitation_id}")).headers["ETag"] == (
        assessed.headers["ETag"]
    )


async def test_a_write_naming_a_version_no_longer_current_answers_412_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    created = await client.post("/invitations", json=invitation_body())
    invitation_id = created.json()["id"]
    stale = created.headers["ETag"]
    reassessed = await client.put(
        f"/invitations/{invitation_id}/assessment", json=assessment_body()
    )
    assert reassessed.status_code == 200  # no If-Match: allowed, and the version moves on
    before = await stored(app, invitation_id)

    for headers in ({"If-Match": stale}, {"If-Match": f"W/{reassessed.headers['ETag']}"}):
        refused = await client.post(
            f"/invitations/{invitation_id}/decision", json=acceptance_body(), headers=headers
        )
        assert refused.status_code == 412, refused.text
        assert refused.json()["error"]["code"] == STALE_TAG
        assert refused.json()["error"]["fields"][0]["field"] == "header.if-match"

    assert await stored(app, invitation_id) == before
    current = f'"nothing-else", {reassessed.headers["ETag"]}'
    accepted = await client.post(
        f"/invitations/{invitation_id}/decision",
        json=acceptance_body(),
        headers={"If-Match": current},
    )
    assert accepted.status_code == 200, accepted.text
    withdrawn = await client.post(
        f"/invitations/{invitation_id}/withdrawal", json={}, headers={"If-Match": "*"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.headers["ETag"] == f'"{invitation_id}.4"'
