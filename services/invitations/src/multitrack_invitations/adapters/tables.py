"""The invitations database: its own metadata, holding its tables, outbox, inbox and audit log
only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.audit.tables import audit_table
from multitrack_shared.db.columns import json_column, moment_column
from multitrack_shared.db.read_models import read_models
from multitrack_shared.db.versions import version_column
from multitrack_shared.messaging.tables import messaging_tables


class InvitationsTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = InvitationsTable.metadata
messaging = messaging_tables(metadata)
AUDIT_LOG = audit_table(metadata)


class InvitationRow(InvitationsTable, table=True):
    __tablename__ = "invitations"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    status: str = Field(index=True, max_length=30)
    country: str = Field(index=True, max_length=2)
    # Search keys: the conflict's and inviter's words case-folded, so that filters match
    # whatever the capitalisation; the words as given stay in the JSON columns.
    region: str | None = Field(default=None, index=True, max_length=200)
    conflict_type: str | None = Field(default=None, index=True, max_length=80)
    phase: str | None = Field(default=None, index=True, max_length=80)
    inviter_track: int = Field(index=True)
    inviter_side: str | None = Field(default=None, index=True, max_length=200)
    received_at: datetime = moment_column(index=True)
    inviter: dict[str, Any] = json_column()
    conflict: dict[str, Any] = json_column()
    support_requested: str
    channel: str = Field(max_length=80)
    arrived_on: date
    other_parties_aware: bool | None = None
    assessment: dict[str, Any] | None = json_column(nullable=True)
    decision: dict[str, Any] | None = json_column(nullable=True)
    withdrawal_reason: str | None = None
    withdrawn_at: datetime | None = moment_column(nullable=True)
    version: int = version_column()


class LessonRow(InvitationsTable, table=True):
    """Read model: lessons learned, filled only from the evaluation service's events.

    Dropped and rebuilt by replay whenever it is missing (``READ_MODELS`` below).
    """

    __tablename__ = "lessons"

    lesson_id: str = Field(primary_key=True, max_length=200)
    revision: int = Field(description="Latest revision applied; 0 while only retired is known.")
    active: bool = Field(index=True)
    owner_org: str | None = Field(default=None, max_length=200)
    visibility: str = Field(max_length=20)
    statement: str | None = None
    confidence: str | None = Field(default=None, max_length=20)
    context: dict[str, Any] | None = json_column(nullable=True)
    recorded_at: datetime | None = moment_column(nullable=True)
    revised_at: datetime | None = moment_column(nullable=True)
    retired_at: datetime | None = moment_column(nullable=True)


class AssessmentCriterionRow(InvitationsTable, table=True):
    """Read model: the assessment criteria the consortium changed, filled only from the
    evaluation service's ``reference.changed`` events; the defaults stand for the others."""

    __tablename__ = "assessment_criteria"

    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(default="", max_length=200)
    description: str = ""
    procedure: str | None = Field(default=None, max_length=80)
    essential: bool = False
    active: bool = True
    changed_at: datetime | None = moment_column(nullable=True)


class ConflictSeenRow(InvitationsTable, table=True):
    """A shared conflict record, from the engagements service's ``conflict.*`` events."""

    __tablename__ = "conflicts_seen"

    conflict_id: str = Field(primary_key=True, max_length=100)
    owner_org: str = Field(default="", max_length=200)
    visibility: str = Field(default="consortium", max_length=20)
    name: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=2)
    changed_at: datetime = moment_column()


READ_MODELS = read_models(LessonRow, AssessmentCriterionRow, ConflictSeenRow)
