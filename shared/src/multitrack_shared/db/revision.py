"""Autogenerate an Alembic revision for one service.

    python -m multitrack_shared.db.revision services/invitations "add partner roles"

It upgrades a scratch SQLite database to the service's head, then diffs the service's
metadata against it, so the revision holds exactly what changed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from multitrack_shared.db.migrations import alembic_config


def main(service_dir: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        config = alembic_config(Path(service_dir) / "migrations", url)
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
