"""Tables of the state evaluation OWNS: reference data, evaluations and lessons.

Never dropped by a read-model rebuild. The read models (built from other services' events)
are in ``read_models``; importing this module registers both on the one metadata.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field

from multitrack_evaluation.adapters import read_models
from multitrack_evaluation.adapters.base import EvaluationTable, messaging, metadata

__all__ = ["messaging", "metadata", "read_models"]


class ReferenceItemRow(EvaluationTable, table=True):
    """Seeded with ``multitrack_shared.reference.DEFAULTS`` by the initial migration."""

    __tablename__ = "reference_items"

    kind: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(max_length=200)
    description: str
    active: bool
    position: int


class EvaluationRow(EvaluationTable, table=True):
    __tablename__ = "evaluations"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    period_start: date
    period_end: date
    evaluated_by: str = Field(max_length=200)
    dac: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    procedures: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    rpp_effectiveness: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    indicators: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    baseline_analysis_version: int | None = None
    completed_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), index=True, nullable=False)
    )


class LessonRow(EvaluationTable, table=True):
    __tablename__ = "lessons"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    statement: str
    evidence: str
    confidence: str = Field(index=True, max_length=10)
    context: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    source_engagement_id: str | None = Field(default=None, index=True, max_length=36)
    recorded_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), index=True, nullable=False)
    )
    revision: int = 1
    revised_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    retired_reason: str | None = None
    retired_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), index=True)
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
