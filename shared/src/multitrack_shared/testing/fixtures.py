"""pytest fixtures shared by every test directory (see the root ``conftest.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from multitrack_shared.testing.broker import Broker, provide_broker
from multitrack_shared.testing.postgres import Postgres, provide_postgres


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Broker]:
    with provide_broker() as broker:
        yield broker


@pytest.fixture(scope="session")
def postgres() -> Postgres:
    return provide_postgres()


@pytest.fixture
def topic_prefix() -> str:
    """A namespace of topics and consumer groups no other test sees."""
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture(params=["sqlite", "postgresql"])
async def either_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: once a SQLite file, once a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/either.db"
    postgres: Postgres = request.getfixturevalue("postgres")
    return await postgres.new_database("either")
