"""The evaluation database: its own metadata, holding its tables, outbox and inbox only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.messaging.tables import messaging_tables


class EvaluationTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = EvaluationTable.metadata
messaging = messaging_tables(metadata)


class LessonRow(EvaluationTable, table=True):
    __tablename__ = "lessons"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    statement: str
    evidence: str
    confidence: str = Field(index=True, max_length=10)
    context: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    recorded_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), index=True, nullable=False)
    )


# The two tables below index the context's ``countries`` and ``tracks``, so that the list
# filters run as plain SQL on both SQLite and PostgreSQL instead of dialect-specific JSON.


class LessonCountryRow(EvaluationTable, table=True):
    __tablename__ = "lesson_countries"

    lesson_id: str = Field(foreign_key="lessons.id", primary_key=True, max_length=36)
    country: str = Field(primary_key=True, index=True, max_length=2)


class LessonTrackRow(EvaluationTable, table=True):
    __tablename__ = "lesson_tracks"

    lesson_id: str = Field(foreign_key="lessons.id", primary_key=True, max_length=36)
    track: int = Field(primary_key=True, index=True)
