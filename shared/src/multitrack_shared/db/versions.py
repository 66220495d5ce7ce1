"""The one way a repository writes an aggregate over an earlier state of itself.

    await save_versioned(self._session, InvitationRow, invitation.id, invitation, fields)

is ``UPDATE invitations SET …, version = n + 1 WHERE id = :id AND version = n``, where ``n`` is
the version the aggregate was read at. A row no longer at ``n`` matches nothing: another
writer got there first, and ``ConcurrentUpdate`` (409) rolls this unit of work back with the
events it published. PostgreSQL makes the second writer wait for the first one's row lock and
then re-checks the condition; SQLite lets one writer at a time into the database. Either way
exactly one of two writers from the same version wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import Column, Integer, inspect, text, update
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.errors import ConcurrentUpdate
from multitrack_shared.versioning import FIRST_VERSION


class Versioned(Protocol):
    """An aggregate as read: its stored version, moved on by each save."""

    version: int


def version_column() -> Any:
    """The ``version`` column of an aggregate's row; rows that predate it count as version 1."""
    return Field(
        default=FIRST_VERSION,
        sa_column=Column(
            "version", Integer, nullable=False, server_default=text(str(FIRST_VERSION))
        ),
    )


async def save_versioned(
    session: AsyncSession,
    row: type[SQLModel],
    key: Any,
    record: Versioned,
    values: Mapping[str, Any],
) -> None:
    """Write ``values`` over the row keyed ``key`` (as ``session.get`` takes it) if it is still
    at ``record.version``; then ``record.version`` is the new one."""
    where = _primary_key_is(row, key)
    version = _version_of(row)
    statement = (
        update(row)
        .where(*where, version == record.version)
        .values(**values, version=record.version + 1)
        # The rows this session already holds take the new values, so a later read in this
        # unit of work sees what was written.
        .execution_options(synchronize_session="evaluate")
    )
    result = await session.exec(statement)
    if result.rowcount != 1:
        raise ConcurrentUpdate(
            f"{_table_name(row)} {key} was changed by another request since it was read; "
            "nothing was written — read it again and retry"
        )
    record.version += 1


# Conditions on the mapped attributes, not the table's columns, so that the session can
# evaluate them against the rows it holds.


def _primary_key_is(row: type[SQLModel], identity: Any) -> list[Any]:
    mapper = inspect(row)
    columns = mapper.primary_key
    values = identity if isinstance(identity, tuple) else (identity,)
    if len(values) != len(columns):
        raise TypeError(f"{row.__name__} has a primary key of {len(columns)} columns")
    return [
        mapper.get_property_by_column(column).class_attribute == value
        for column, value in zip(columns, values, strict=True)
    ]


def _version_of(row: type[SQLModel]) -> Any:
    version = inspect(row).attrs.get("version")
    if version is None:
        raise TypeError(f"{row.__name__} has no version column (declare version_column())")
    return version.class_attribute


def _table_name(row: type[SQLModel]) -> str:
    return str(getattr(row, "__tablename__", row.__name__))
