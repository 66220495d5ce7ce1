"""A real PostgreSQL for tests: ``MULTITRACK_PG_URL`` if set, else ``deploy/postgres/pg.sh``."""

from __future__ import annotations

import os
import subprocess
import uuid
from dataclasses import dataclass

import asyncpg

from multitrack_shared.testing.paths import repo_root


@dataclass(frozen=True)
class Postgres:
    base_url: str
    """``postgresql://user@host:port`` with no database."""

    async def new_database(self, label: str) -> str:
        """Create an empty database; returns its SQLAlchemy async URL."""
        name = f"{label}_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(f"{self.base_url}/postgres")
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return f"{self.base_url.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"


def provide_postgres() -> Postgres:
    configured = os.environ.get("MULTITRACK_PG_URL")
    if configured:
        return Postgres(configured.rstrip("/"))
    started = subprocess.run(
        [str(repo_root() / "deploy/postgres/pg.sh"), "start"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Postgres(started.stdout.strip().splitlines()[-1].rstrip("/"))
