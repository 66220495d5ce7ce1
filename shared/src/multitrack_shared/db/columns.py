"""Column shapes every service's tables use, declared one way.

``moment_column()`` is an instant (``timestamptz`` on PostgreSQL; SQLite keeps no offset, which
``times.utc`` restores on reading); ``json_column()`` holds lists and documents. A nullable one
defaults to ``None``; a non-nullable one must be given.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field


def moment_column(*, nullable: bool = False, index: bool = False, primary_key: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            DateTime(timezone=True), nullable=nullable, index=index, primary_key=primary_key
        ),
    )


def json_column(*, nullable: bool = False) -> Any:
    return Field(default=None if nullable else ..., sa_column=Column(JSON, nullable=nullable))
