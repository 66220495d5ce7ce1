"""The evaluation database: its own metadata, holding its tables, outbox and inbox only.

OWNED tables hold the reference data, evaluations and lessons; a rebuild never touches them.
READ MODELS hold only what the engagements' and partners' events say, and ``READ_MODELS``
lists them so that the runtime can drop and replay them. Names, codes and free text taken
from events have no length cap there: the events' contracts set none, and a read model must
hold whatever a producer may publish. Ids are UUIDs. Each read-model row is keyed by ids (or,
where an event carries none, by its natural key) taken from the event, so applying an event
twice changes nothing.
"""

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


class EvaluationTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = EvaluationTable.metadata
messaging = messaging_tables(metadata)
AUDIT_LOG = audit_table(metadata)


# --- owned ----------------------------------------------------------------------------------


class ReferenceItemRow(EvaluationTable, table=True):
    """Seeded with ``multitrack_shared.reference.DEFAULTS`` by the initial migration, and
    with its ``ASSESSMENT_CRITERIA`` by a later one."""

    __tablename__ = "reference_items"

    kind: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(max_length=200)
    description: str
    active: bool
    position: int
    procedure: str | None = Field(default=None, max_length=80)
    essential: bool = False
    origin: str | None = Field(default=None, max_length=20)
    version: int = version_column()


class EvaluationRow(EvaluationTable, table=True):
    __tablename__ = "evaluations"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    period_start: date
    period_end: date
    evaluated_by: str = Field(max_length=200)
    dac: dict[str, Any] = json_column()
    procedures: dict[str, Any] = json_column()
    rpp_effectiveness: dict[str, Any] | None = json_column(nullable=True)
    indicators: dict[str, Any] = json_column()
    baseline_analysis_version: int | None = None
    completed_at: datetime = moment_column(index=True)
    version: int = version_column()
    # The records' figures over the period and by quarter; null before they were computed.
    evidence: dict[str, Any] | None = json_column(nullable=True)


class AttitudeInstrumentRow(EvaluationTable, table=True):
    """Never updated: measurements taken with an instrument stay comparable."""

    __tablename__ = "attitude_instruments"

    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(max_length=200)
    items: list[str] = json_column()
    scale_low: int
    scale_high: int
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    defined_at: datetime = moment_column()


class AttitudeMeasurementRow(EvaluationTable, table=True):
    __tablename__ = "attitude_measurements"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    owner_org: str = Field(max_length=200)
    visibility: str = Field(max_length=20)
    instrument: str = Field(max_length=80)
    side: str = Field(max_length=200)
    administered_on: date
    respondents: int
    item_means: list[float] = json_column()
    score: float
    recorded_at: datetime = moment_column()


class LessonRow(EvaluationTable, table=True):
    __tablename__ = "lessons"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    statement: str
    evidence: str
    confidence: str = Field(index=True, max_length=10)
    context: dict[str, Any] = json_column()
    source_engagement_id: str | None = Field(default=None, index=True, max_length=36)
    recorded_at: datetime = moment_column(index=True)
    revision: int = 1
    revised_at: datetime | None = moment_column(nullable=True)
    retired_reason: str | None = None
    retired_at: datetime | None = moment_column(nullable=True, index=True)
    version: int = version_column()


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


# --- read models ----------------------------------------------------------------------------


class DigestEngagementRow(EvaluationTable, table=True):
    __tablename__ = "digest_engagements"

    engagement_id: str = Field(primary_key=True, max_length=36)
    owner_org: str
    visibility: str
    name: str
    country: str = Field(index=True)
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None
    purpose: str
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime = moment_column()
    closed_at: datetime | None = moment_column(nullable=True)
    closed_early: bool | None = None
    close_reason: str | None = None


class DigestStatusChangeRow(EvaluationTable, table=True):
    __tablename__ = "digest_status_changes"

    engagement_id: str = Field(primary_key=True, max_length=36)
    changed_at: datetime = moment_column(primary_key=True)
    to_status: str = Field(primary_key=True)
    from_status: str
    reason: str | None = None


class DigestAnalysisRow(EvaluationTable, table=True):
    __tablename__ = "digest_analyses"

    engagement_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    analysed_on: date
    sides: list[str] = json_column()
    actor_tracks: list[int] = json_column()
    actors_by_role: dict[str, int] = json_column()
    dividers: int
    connectors: int


class DigestHearingRow(EvaluationTable, table=True):
    __tablename__ = "digest_hearings"

    hearing_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    side: str
    track: int
    heard_on: date


class DigestActivityRow(EvaluationTable, table=True):
    __tablename__ = "digest_activities"

    activity_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    kind: str
    held_on: date
    tracks: list[int] = json_column()
    peacebuilding_kind: str
    rpp_quadrant: str
    methods: list[dict[str, Any]] = json_column()
    local_facilitators: int
    external_facilitators: int
    led_locally: bool
    participants: list[dict[str, Any]] = json_column()
    designed_locally: bool | None = None


class DigestFollowUpRow(EvaluationTable, table=True):
    __tablename__ = "digest_follow_ups"

    follow_up_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    held_on: date
    participants_reached: int
    using_skills: int
    training_id: str | None = None
    months_after: int | None = None


class DigestLiaisonRow(EvaluationTable, table=True):
    __tablename__ = "digest_liaisons"

    liaison_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    institution: str
    kind: str
    held_on: date


class DigestPartnershipRow(EvaluationTable, table=True):
    __tablename__ = "digest_partnerships"

    partnership_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    partner_id: str = Field(max_length=36)
    partner_name: str
    role: str
    starts_on: date
    ends_on: date | None = None
    partner_tracks: list[int] = json_column()
    partner_is_local: bool
    partner_women_led: bool
    formed_at: datetime = moment_column()
    ended_at: datetime | None = moment_column(nullable=True)


class LessonResponseRow(EvaluationTable, table=True):
    """An engagement's latest response to a lesson (a later one replaces an earlier one)."""

    __tablename__ = "lesson_responses"

    engagement_id: str = Field(primary_key=True, max_length=36)
    lesson_id: str = Field(primary_key=True, index=True, max_length=36)
    response: str
    responded_at: datetime = moment_column()


READ_MODELS = read_models(
    DigestEngagementRow,
    DigestStatusChangeRow,
    DigestAnalysisRow,
    DigestHearingRow,
    DigestActivityRow,
    DigestFollowUpRow,
    DigestLiaisonRow,
    DigestPartnershipRow,
    LessonResponseRow,
)
