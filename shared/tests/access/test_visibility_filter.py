"""Lists and counts filter by the policy in SQL: another organization's owner-only records are
never listed nor counted, on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.engine import SessionFactory, create_engine, session_factory

from ..conftest import probe_database
from .memos import Memo, SqlMemos, metadata

ORGANIZATIONS = ("org-a", "org-b", "org-c")
MEMOS = [
    Memo(id=f"{owner}-{visibility}-{n}", owner_org=owner, visibility=visibility, title=f"m{n}")
    for n, (owner, visibility) in enumerate(
        itertools.product(ORGANIZATIONS, ("consortium", "owner", "owner"))
    )
]


@pytest.fixture(params=["sqlite", "postgresql"])
async def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SessionFactory]:
    engine = create_engine(await probe_database(request, tmp_path))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    factory = session_factory(engine)
    async with factory() as session:
        for memo in MEMOS:
            await SqlMemos(session).add(memo)
        await session.commit()
    yield factory
    await engine.dispose()


@pytest.mark.parametrize(
    ("scope", "seen"),
    [
        (Scope("org-a"), 3 + 2),  # every consortium-visible memo, and org-a's own two
        (Scope("org-b"), 3 + 2),
        (Scope(None), 3),  # an organizationless caller: consortium-visible ones only
        (Scope(None, everything=True), len(MEMOS)),  # the service itself
    ],
)
async def test_a_list_and_its_count_hold_what_the_scope_admits_and_nothing_else(
    sessions: SessionFactory, scope: Scope, seen: int
) -> None:
    async with sessions() as session:
        listed = await SqlMemos(session).visible(scope)
        counted = await SqlMemos(session).count(scope)

    expected = {m.id for m in MEMOS if scope.admits(m.owner_org, m.visibility)}
    assert {m.id for m in listed} == expected
    assert counted == len(expected) == seen
    if not scope.everything:
        assert not [
            m for m in listed if m.visibility == "owner" and m.owner_org != scope.organization
        ]
