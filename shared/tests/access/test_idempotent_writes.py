"""A POST or PUT sent with an ``Idempotency-Key`` is done once: a retry with the same key and
body gets the first answer and writes nothing more; the same key with another body is refused;
keys belong to the caller's organization and to the operation; the answer is kept in the write's
own transaction, so that neither is ever kept without the other."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Table, func, select
from sqlalchemy.exc import DBAPIError, OperationalError

from multitrack_shared.http.stored_answers import IdempotencyKeys
from multitrack_shared.messaging.pruning import prune_messaging_tables
from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.postgres import Postgres
from multitrack_shared.testing.races import all_at_once
from multitrack_shared.testing.tokens import TokenSource

from .memos import AUDIT_LOG, MemosSettings, metadata
from .memos_api import create_app

MEMOS = metadata.tables["memos"]
A_MEMO = {"title": "Elders met", "visibility": "owner"}
KEY = "Idempotency-Key"


def key() -> dict[str, str]:
    return {KEY: str(uuid.uuid4())}


async def count(app: FastAPI, table: Table) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def written(app: FastAPI) -> dict[str, int]:
    """Memos, events in the outbox and audit entries: what a write leaves."""
    tables = app.state.runtime.tables
    return {
        "memos": await count(app, MEMOS),
        "events": await count(app, tables.outbox),
        "audit": await count(app, AUDIT_LOG),
        "keys": await count(app, tables.idempotency_keys),
    }


def problem(answer: httpx.Response) -> tuple[int, str, list[str]]:
    error: dict[str, Any] = answer.json()["error"]
    return answer.status_code, error["code"], [f["field"] for f in error["fields"]]


async def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_and_writes_once(
    api: httpx.AsyncClient, memos: FastAPI
) -> None:
    headers = key()
    first = await api.post("/memos", json=A_MEMO, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # The same body written out otherwise (keys in another order) is the same request.
    again = await api.post(
        "/memos",
        content=b'{"visibility": "owner", "title": "Elders met"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await written(memos) == {"memos": 1, "events": 1, "audit": 1, "keys": 1}
    without_key = await api.post("/memos", json=A_MEMO)
    assert without_key.status_code == 201
    assert without_key.json()["id"] != first.json()["id"]


async def test_the_same_key_with_another_body_is_refused_and_writes_nothing(
    api: httpx.AsyncClient, memos: FastAPI
) -> None:
    headers = key()
    assert (await api.post("/memos", json=A_MEMO, headers=headers)).status_code == 201
    other = await api.post("/memos", json={**A_MEMO, "title": "Elders met twice"}, headers=headers)
    assert problem(other) == (422, "idempotency_key_reused", ["header.idempotency-key"])
    assert (await written(memos))["memos"] == 1


async def test_a_key_belongs_to_the_organization_and_to_the_operation(
    api: httpx.AsyncClient, memos: FastAPI, tokens: TokenSource
) -> None:
    headers = key()
    mine = (await api.post("/memos", json=A_MEMO, headers=headers)).json()
    theirs = await api.post(
        "/memos", json=A_MEMO, headers=headers, auth=tokens.auth("org-b", "coordinator")
    )
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["id"] != mine["id"]  # org-a's answer never reaches org-b
    assert "idempotent-replayed" not in theirs.headers
    # A person of org-a retrying what org-a's client sent: org-a's key, its answer.
    colleague = await api.post(
        "/memos",
        json=A_MEMO,
        headers=headers,
        auth=tokens.auth("org-a", "coordinator", person=True),
    )
    assert (colleague.status_code, colleague.json()["id"]) == (201, mine["id"])
    retitled = await api.put(
        f"/memos/{mine['id']}/title", json={"title": "Elders met"}, headers=headers
    )
    assert retitled.status_code == 200, retitled.text  # another operation: the key is free
    assert await written(memos) == {"memos": 2, "events": 2, "audit": 3, "keys": 3}


async def test_a_put_retried_answers_the_same_and_changes_once(
    api: httpx.AsyncClient, memos: FastAPI
) -> None:
    memo = (await api.post("/memos", json=A_MEMO)).json()
    headers = key()
    answers = [
        await api.put(f"/memos/{memo['id']}/title", json={"title": "Renamed"}, headers=headers)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[2].json() == answers[0].json()
    assert (await written(memos))["audit"] == 2  # written, then retitled once


async def test_a_refusal_is_not_kept_so_the_corrected_request_goes_through(
    api: httpx.AsyncClient, memos: FastAPI
) -> None:
    headers = key()
    refused = await api.post("/memos", json={"visibility": "owner"}, headers=headers)
    assert refused.status_code == 422
    accepted = await api.post("/memos", json=A_MEMO, headers=headers)
    assert accepted.status_code == 201, accepted.text
    assert await written(memos) == {"memos": 1, "events": 1, "audit": 1, "keys": 1}


@pytest.mark.parametrize("sent", ["", " ", "a b", "é", '"unterminated', "k" * 256])
async def test_a_key_that_is_no_key_answers_400(api: httpx.AsyncClient, sent: str) -> None:
    header = [(KEY.encode(), sent.encode("latin-1"))]
    answer = await api.post("/memos", json=A_MEMO, headers=header)
    assert problem(answer) == (400, "idempotency_key_invalid", ["header.idempotency-key"])


async def test_a_quoted_key_is_the_key_it_quotes(api: httpx.AsyncClient) -> None:
    first = await api.post("/memos", json=A_MEMO, headers={KEY: '"order 42"'})
    again = await api.post("/memos", json=A_MEMO, headers={KEY: '"order 42"'})
    assert (first.status_code, again.json()) == (201, first.json())


async def test_when_the_answer_cannot_be_kept_the_write_is_not_kept_either(
    api: httpx.AsyncClient, memos: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = key()

    async def database_gone(*_: object) -> None:
        raise OperationalError("INSERT INTO idempotency_keys", {}, ConnectionError("gone"))

    with monkeypatch.context() as patched:
        patched.setattr(IdempotencyKeys, "keep", database_gone)
        failed = await api.post("/memos", json=A_MEMO, headers=headers)
    assert problem(failed) == (503, "database_unavailable", [])
    assert await written(memos) == {"memos": 0, "events": 0, "audit": 0, "keys": 0}
    retried = await api.post("/memos", json=A_MEMO, headers=headers)
    assert retried.status_code == 201
    assert await written(memos) == {"memos": 1, "events": 1, "audit": 1, "keys": 1}


class ShuttingDown(Exception):
    """What the PostgreSQL driver raises when the server is shutting down (admin_shutdown)."""

    sqlstate = "57P01"


OUTAGES = {
    "unreachable": OperationalError("SELECT FROM idempotency_keys", {}, ConnectionError("gone")),
    "refused unwrapped": ConnectionRefusedError(111, "Connect call failed"),
    "shutting down": DBAPIError("SELECT FROM idempotency_keys", {}, ShuttingDown("terminating")),
}


@pytest.mark.parametrize("outage", OUTAGES.values(), ids=OUTAGES.keys())
async def test_a_database_that_cannot_say_whether_a_key_was_used_answers_503(
    api: httpx.AsyncClient, memos: FastAPI, monkeypatch: pytest.MonkeyPatch, outage: Exception
) -> None:
    async def database_gone(*_: object) -> None:
        raise outage

    monkeypatch.setattr(IdempotencyKeys, "find", database_gone)
    failed = await api.post("/memos", json=A_MEMO, headers=key())
    assert problem(failed) == (503, "database_unavailable", [])
    assert failed.headers["Retry-After"] == "5"
    assert (await written(memos))["memos"] == 0


@pytest.fixture(params=["sqlite", "postgresql"])
async def memos_on(
    request: pytest.FixtureRequest, tmp_path: Path, keycloak: IdentityProvider
) -> AsyncIterator[FastAPI]:
    url = None
    if request.param == "postgresql":
        postgres: Postgres = request.getfixturevalue("postgres")
        url = await postgres.new_database("memos")
    settings = offline_settings(MemosSettings, tmp_path, url, oidc_issuer=keycloak.issuer.url)
    app = create_app(settings)
    async with running(app):
        yield app


async def test_requests_with_one_key_at_once_write_once_and_all_get_its_answer(
    memos_on: FastAPI, tokens: TokenSource
) -> None:
    async with client_of(memos_on, auth=tokens.auth("org-a", "coordinator")) as api:
        for _ in range(3):
            headers = key()
            answers = await all_at_once(
                api.post("/memos", json=A_MEMO, headers=headers) for _ in range(6)
            )
            assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
            assert len({a.json()["id"] for a in answers}) == 1
    assert await written(memos_on) == {"memos": 3, "events": 3, "audit": 3, "keys": 3}


async def test_an_expired_key_is_forgotten_and_pruned(
    tmp_path: Path, keycloak: IdentityProvider, tokens: TokenSource
) -> None:
    settings = offline_settings(MemosSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    settings.idempotency_hours = 1e-9  # kept for a few microseconds
    app = create_app(settings)
    async with running(app), client_of(app, auth=tokens.auth("org-a", "coordinator")) as api:
        headers = key()
        first = await api.post("/memos", json=A_MEMO, headers=headers)
        again = await api.post("/memos", json=A_MEMO, headers=headers)
        assert again.json()["id"] != first.json()["id"]
        assert "idempotent-replayed" not in again.headers
        runtime = app.state.runtime
        pruned = await prune_messaging_tables(runtime.engine, runtime.tables, settings)
        assert pruned.idempotency_keys == 1
        assert await count(app, runtime.tables.idempotency_keys) == 0


def test_every_post_and_put_documents_the_key_and_every_operation_429(memos: FastAPI) -> None:
    paths = memos.openapi()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if path.startswith(("/health", "/metrics", "/events", "/operations")):
                continue
            names = [p["name"] for p in operation.get("parameters", [])]
            assert (KEY in names) == (method in ("post", "put")), (method, path)
            limited = operation["responses"]["429"]
            assert "Retry-After" in limited["headers"], (method, path)
    create = paths["/memos"]["post"]["responses"]
    assert "idempotency_key_reused" in create["422"]["description"]
    assert "idempotency_key_invalid" in create["400"]["description"]
