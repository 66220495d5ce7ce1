"""Alembic, run per service against that service's metadata only.

Each service's ``migrations/env.py`` calls ``run_env(metadata)``; the service upgrades its
database at start with ``upgrade(engine, migrations_dir)`` on the connection it already has,
the folder found by ``service_migrations(__file__)`` however the service is installed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.db.engine import create_engine


def service_migrations(module_file: str) -> Path:
    """A service's Alembic folder, found from a module at the top of its package (``__file__``).

    A service keeps it beside its ``src/`` (``services/<name>/migrations``, where ``make
    migration`` writes); its wheel carries a copy inside the package (``force-include`` in the
    service's ``pyproject.toml``), so an installed service, as in its container image, finds
    it at ``<package>/migrations``. The copy in the package comes first: an editable checkout
    has none there.
    """
    package = Path(module_file).resolve().parent
    for folder in (package / "migrations", package.parents[1] / "migrations"):
        if (folder / "env.py").is_file():
            return folder
    raise FileNotFoundError(f"no migrations folder with an env.py for the package at {package}")


def alembic_config(migrations_dir: Path, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, migrations_dir: Path) -> None:
    config = alembic_config(migrations_dir)

    def _upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


def run_env(metadata: MetaData) -> None:
    """The body of every service's ``env.py``."""

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    connection = context.config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return

    async def from_url() -> None:
        engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
        async with engine.begin() as conn:
            await conn.run_sync(migrate)
        await engine.dispose()

    asyncio.run(from_url())
