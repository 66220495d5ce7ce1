"""The one way a service declares its read models, in its ``adapters/tables.py``::

    READ_MODELS = read_models(LessonRow, DeliveryRow)

Read models are the tables a service fills only from other services' events. The runtime
drops, recreates and replays them whenever one is missing, so nothing the service owns may
live in them, and no foreign key may tie an owned table to them.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel


def read_models(*rows: type[SQLModel]) -> tuple[Table, ...]:
    """The tables of these ``table=True`` SQLModel classes, in the order given."""
    return tuple(_table_of(row) for row in rows)


def _table_of(row: type[SQLModel]) -> Table:
    table = getattr(row, "__table__", None)  # SQLModel sets it on classes with table=True
    if not isinstance(table, Table):
        raise TypeError(f"{row.__name__} is not a table (declare it with table=True)")
    return table
