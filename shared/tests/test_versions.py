"""Versions: the conditional save every repository uses, and If-Match read into a precondition."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Response
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.db.engine import create_engine, session_factory
from multitrack_shared.db.versions import save_versioned, version_column
from multitrack_shared.errors import ConcurrentUpdate, PreconditionFailed
from multitrack_shared.http.errors import install_error_handlers
from multitrack_shared.http.versions import IfMatch, tag
from multitrack_shared.versioning import ANY_VERSION, Precondition, entity_tag


class Table(SQLModel, registry=registry()):
    pass


class ThingRow(Table, table=True):
    __tablename__ = "things"

    id: str = Field(primary_key=True)
    name: str
    version: int = version_column()


class PairRow(Table, table=True):
    __tablename__ = "pairs"

    kind: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    name: str
    version: int = version_column()


class UnversionedRow(Table, table=True):
    __tablename__ = "unversioned"

    id: str = Field(primary_key=True)
    name: str


@dataclass
class Thing:
    id: str
    name: str
    version: int = 1


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[AsyncSession]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/versions.db")
    async with engine.begin() as connection:
        await connection.run_sync(Table.metadata.create_all)
    async with session_factory(engine)() as session:
        session.add_all([ThingRow(id="a", name="first"), PairRow(kind="k", code="c", name="x")])
        await session.commit()
        yield session
    await engine.dispose()


async def test_a_save_from_the_current_version_writes_and_moves_the_version_on(
    session: AsyncSession,
) -> None:
    thing = Thing("a", "second")

    await save_versioned(session, ThingRow, thing.id, thing, {"name": thing.name})

    assert thing.version == 2
    row = await session.get(ThingRow, "a")
    assert row is not None
    assert (row.name, row.version) == ("second", 2)  # the session's own copy is up to date


async def test_a_save_from_an_older_version_writes_nothing_and_is_a_concurrent_update(
    session: AsyncSession,
) -> None:
    await save_versioned(session, ThingRow, "a", Thing("a", "second"), {"name": "second"})
    late = Thing("a", "late", version=1)

    with pytest.raises(ConcurrentUpdate) as refused:
        await save_versioned(session, ThingRow, late.id, late, {"name": late.name})

    assert refused.value.status_code == 409
    assert refused.value.code == "concurrent_update"
    assert late.version == 1
    row = await session.get(ThingRow, "a", populate_existing=True)
    assert row is not None
    assert (row.name, row.version) == ("second", 2)


async def test_a_composite_key_is_given_as_session_get_takes_it(session: AsyncSession) -> None:
    pair = Thing("k:c", "y")

    await save_versioned(session, PairRow, ("k", "c"), pair, {"name": "y"})

    assert pair.version == 2
    with pytest.raises(ConcurrentUpdate):
        await save_versioned(session, PairRow, ("k", "other"), Thing("k:o", "z"), {"name": "z"})


async def test_a_row_without_a_version_column_is_refused(session: AsyncSession) -> None:
    with pytest.raises(TypeError, match="no version column"):
        await save_versioned(session, UnversionedRow, "a", Thing("a", "x"), {"name": "x"})


def test_a_precondition_holds_only_for_a_tag_it_names() -> None:
    current = entity_tag("a", 3)
    assert current == '"a.3"'

    ANY_VERSION.check("a", 3)
    Precondition(frozenset({'"b.3"', current})).check("a", 3)
    for stale in ({'"a.2"'}, {'"b.3"'}, set()):
        with pytest.raises(PreconditionFailed):
            Precondition(frozenset(stale)).check("a", 3)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things/{thing_id}")
    async def write(thing_id: str, if_match: IfMatch, response: Response) -> dict[str, str]:
        if_match.check(thing_id, 3)
        tag(response, thing_id, 4)
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        (None, 200),
        ("*", 200),
        ('"a.3"', 200),
        ('"a.1", "a.3"', 200),
        ('"a.2"', 412),
        ('W/"a.3"', 412),  # If-Match compares strongly: a weak tag never matches
        ("a.3", 412),  # not a tag at all
    ],
)
async def test_if_match_is_read_as_the_tags_a_write_is_conditional_on(
    client: httpx.AsyncClient, if_match: str | None, status: int
) -> None:
    headers = {"If-Match": if_match} if if_match is not None else {}

    response = await client.post("/things/a", headers=headers)

    assert response.status_code == status
    if status == 200:
        assert response.headers["ETag"] == '"a.4"'
    else:
        error = response.json()["error"]
        assert error["code"] == "precondition_failed"
        assert error["fields"][0]["field"] == "header.if-match"
