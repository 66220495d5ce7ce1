"""The partners migrations: the database they build is the one the tables declare, and the
engagements known before the read model kept visibilities count as owner-only until a replay.
On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, insert, select, text

from multitrack_partners.adapters.tables import AUDIT_LOG, metadata
from multitrack_partners.bootstrap import SERVICE
from multitrack_shared.db.engine import create_engine
from multitrack_shared.db.migrations import alembic_config

BEFORE_VISIBILITY = "d8c466fce165"


async def migrate(url: str, revision: str) -> None:
    engine = create_engine(url)
    config = alembic_config(SERVICE.migrations_dir)

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)
    await engine.dispose()


async def test_the_migrated_database_is_the_one_the_tables_declare(either_database: str) -> None:
    await migrate(either_database, "head")

    def differences(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    engine = create_engine(either_database)
    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []
        assert (await connection.execute(select(AUDIT_LOG))).all() == []
    await engine.dispose()


async def test_an_engagement_known_before_visibilities_were_kept_counts_as_owner_only(
    either_database: str,
) -> None:
    await migrate(either_database, BEFORE_VISIBILITY)
    engine = create_engine(either_database)
    known = {
        "engagement_id": "eng-1",
        "owner_org": "org-a",
        "country": "CO",
        "inviter_track": 4,
        "opened_at": datetime(2026, 1, 5, tzinfo=UTC),
        "status": "listening",
    }
    async with engine.begin() as connection:
        await connection.execute(insert(metadata.tables["engagements"]).values(**known))

    await migrate(either_database, "head")

    async with engine.connect() as connection:
        visibility = await connection.execute(text("SELECT visibility FROM engagements"))
        assert visibility.scalars().all() == ["owner"]
    await engine.dispose()
