"""The one error body, whatever went wrong."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from multitrack_shared.db.errors import commit_or_doubt
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.http.bodies import JsonBodies
from multitrack_shared.http.errors import install_error_handlers


class Thing(BaseModel):
    name: str
    size: int


def app() -> FastAPI:
    application = FastAPI()
    application.add_middleware(JsonBodies, max_bytes=1024)
    install_error_handlers(application)

    @application.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    @application.post("/rule")
    async def rule() -> None:
        raise DomainError("size must be even", field="size", code="size_odd")

    @application.post("/state")
    async def state() -> None:
        raise Conflict("already closed", field="status", code="closed")

    @application.post("/race")
    async def race() -> None:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    @application.post("/down")
    async def down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    @application.post("/refused")
    async def refused() -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    @application.post("/lost-at-commit")
    async def lost_at_commit() -> None:
        await commit_or_doubt(cast(AsyncSession, LinkLostAtCommit()))

    @application.post("/shutting-down")
    async def shutting_down() -> None:
        raise DBAPIError("INSERT", {}, ServerShuttingDown("the database system is shutting down"))

    return application


class ServerShuttingDown(Exception):
    """What the driver raises while the server shuts down (SQLSTATE 57P03)."""

    sqlstate = "57P03"


class LinkLostAtCommit:
    """A session whose COMMIT went out and whose answer never came back."""

    async def commit(self) -> None:
        raise DBAPIError(
            "COMMIT",
            {},
            ConnectionResetError("connection lost"),
            connection_invalidated=True,
        )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_invalid_input_names_every_field_and_rule(client: httpx.AsyncClient) -> None:
    response = await client.post("/things", json={"size": "big"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {(f["field"], f["rule"]) for f in error["fields"]} == {
        ("body.name", "missing"),
        ("body.size", "int_parsing"),
    }


@pytest.mark.parametrize(
    ("path", "status", "code", "fields"),
    [
        ("/rule", 422, "size_odd", ["size"]),
        ("/state", 409, "closed", ["status"]),
        ("/race", 409, "conflicting_write", []),
        ("/down", 503, "database_unavailable", []),
        ("/refused", 503, "database_unavailable", []),
        ("/shutting-down", 503, "database_unavailable", []),
        ("/lost-at-commit", 503, "commit_outcome_unknown", []),
    ],
)
async def test_each_failure_maps_to_its_status_with_the_same_body(
    client: httpx.AsyncClient, path: str, status: int, code: str, fields: list[str]
) -> None:
    response = await client.post(path)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert [f["field"] for f in response.json()["error"]["fields"]] == fields


async def test_a_body_over_the_limit_is_refused_even_without_a_content_length(
    client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 512

    declared = await client.post("/things", content=b"x" * 2048)
    streamed = await client.post("/things", content=chunks())

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["error"]["fields"][0]["field"] == "body"
