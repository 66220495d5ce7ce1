"""``INSERT … ON CONFLICT`` on both databases the platform runs on, in one statement.

PostgreSQL and SQLite spell it alike, and SQLAlchemy offers it with the same methods
(``on_conflict_do_nothing``, ``on_conflict_do_update``, ``excluded``) in each dialect's own
``insert``: this picks the one of the session's database. One statement instead of reading a
row and then inserting or updating it (``session.merge``) is what a per-event write needs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

ConflictInsert = postgresql.Insert | sqlite.Insert


def insert_on_conflict(session: AsyncSession, table: Any) -> ConflictInsert:
    """An ``INSERT`` into ``table`` (a table or a mapped class) that can say what a row with
    the same key does instead: the dialect of the database ``session`` is bound to."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
