"""The engagements database: its own metadata, holding its tables, outbox and inbox only.

OWNED tables hold what this service decides or is told over HTTP; they survive a rebuild.
READ MODELS hold only what other services' events say, and ``READ_MODELS`` lists them so that
the runtime can drop and replay them (``lesson_deliveries`` is derived from both: the lessons
and this service's own records).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.audit.tables import audit_table
from multitrack_shared.db.columns import json_column, moment_column
from multitrack_shared.db.read_models import read_models
from multitrack_shared.db.versions import version_column
from multitrack_shared.messaging.tables import messaging_tables


class EngagementsTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = EngagementsTable.metadata
messaging = messaging_tables(metadata)
AUDIT_LOG = audit_table(metadata)


# --- owned ----------------------------------------------------------------------------------


class EngagementRow(EngagementsTable, table=True):
    __tablename__ = "engagements"

    id: str = Field(primary_key=True, max_length=36)
    invitation_id: str = Field(unique=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    purpose: str
    status: str = Field(index=True, max_length=20)
    country: str = Field(index=True, max_length=2)
    conflict: dict[str, Any] = json_column()
    # The shared conflict record it works on, when its invitation named one.
    conflict_id: str | None = Field(default=None, index=True, max_length=100)
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime = moment_column()
    closing_reason: str | None = Field(default=None, max_length=40)
    history: list[dict[str, Any]] = json_column()
    last_activity_on: date | None = None
    local_methods: int = 0
    external_methods: int = 0
    # Exit plan, extensions, closure and the follow-ups' tally; null until one is recorded.
    ending: dict[str, Any] | None = json_column(nullable=True)
    version: int = version_column()


class ConflictRow(EngagementsTable, table=True):
    """A conflict as a shared record of the consortium."""

    __tablename__ = "conflicts"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    name: str = Field(max_length=200)
    country: str = Field(index=True, max_length=2)
    region: str | None = Field(default=None, max_length=200)
    conflict_type: str | None = Field(default=None, max_length=80)
    phase: str | None = Field(default=None, max_length=80)
    # Personal data (an actor may be a person): served to the owner, never in an event.
    actors: list[dict[str, Any]] = json_column()
    registered_at: datetime = moment_column(index=True)
    revised_at: datetime | None = moment_column(nullable=True)
    version: int = version_column()


class AnalysisRow(EngagementsTable, table=True):
    __tablename__ = "analyses"

    engagement_id: str = Field(primary_key=True, foreign_key="engagements.id", max_length=36)
    version: int = Field(primary_key=True)
    analysed_on: date
    participants: list[str] = json_column()
    actors: list[dict[str, Any]] = json_column()
    causes: list[str] = json_column()
    dividers: list[str] = json_column()
    connectors: list[str] = json_column()
    recorded_at: datetime = moment_column()


class HeardPartyRow(EngagementsTable, table=True):
    __tablename__ = "heard_parties"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    who: str = Field(max_length=200)
    side: str = Field(max_length=200)
    track: int
    needs: list[str] = json_column()
    heard_by: str = Field(max_length=200)
    heard_on: date
    recorded_at: datetime = moment_column()


class ActivityRow(EngagementsTable, table=True):
    __tablename__ = "activities"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    kind: str = Field(max_length=80)
    held_on: date
    place: str = Field(max_length=200)
    tracks: list[int] = json_column()
    peacebuilding_kind: str = Field(max_length=80)
    rpp_quadrant: str = Field(max_length=80)
    methods: list[dict[str, Any]] = json_column()
    facilitators: list[dict[str, Any]] = json_column()
    participants: list[dict[str, Any]] = json_column()
    do_no_harm: dict[str, Any] = json_column()
    recorded_at: datetime = moment_column()
    designed_locally: bool | None = None
    # A training's curriculum, trainers and follow-up intervals; null for other kinds.
    training: dict[str, Any] | None = json_column(nullable=True)


class LiaisonRow(EngagementsTable, table=True):
    __tablename__ = "liaison_entries"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    institution: str = Field(max_length=200)
    officials: list[str] = json_column()
    kind: str = Field(max_length=80)
    held_on: date
    summary: str
    recorded_at: datetime = moment_column()


class HarmEntryRow(EngagementsTable, table=True):
    """An entry of the Do No Harm register."""

    __tablename__ = "harm_register"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    kind: str = Field(max_length=20)
    category: str = Field(max_length=80)
    severity: str = Field(max_length=20)
    noted_on: date
    # Personal: a place may name a host or a home; what happened and its mitigation may name
    # people. Served to the owning organization only, never in an event.
    place: str | None = Field(default=None, max_length=200)
    description: str
    mitigation: str | None = None
    affected: list[dict[str, Any]] = json_column()
    activity_ids: list[str] = json_column()
    dividers: list[str] = json_column()
    connectors: list[str] = json_column()
    status: str = Field(max_length=20)
    recorded_at: datetime = moment_column()
    reviewed_at: datetime | None = moment_column(nullable=True)
    version: int = version_column()


class FollowUpRow(EngagementsTable, table=True):
    __tablename__ = "follow_ups"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    held_on: date
    participants_reached: int
    using_skills: int
    note: str | None = None
    after_closure: bool
    recorded_at: datetime = moment_column()
    training_id: str | None = Field(default=None, index=True, max_length=36)
    months_after: int | None = None


class LessonResponseRow(EngagementsTable, table=True):
    """Owned: the engagement's answer to a lesson; it outlives any rebuild of the inbox."""

    __tablename__ = "lesson_responses"

    engagement_id: str = Field(primary_key=True, foreign_key="engagements.id", max_length=36)
    lesson_id: str = Field(primary_key=True, index=True, max_length=36)
    response: str = Field(max_length=20)
    why: str
    revision: int
    responded_at: datetime = moment_column()


class FundingSourceRow(EngagementsTable, table=True):
    __tablename__ = "funding_sources"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    funder_id: str = Field(max_length=100)
    kind: str = Field(max_length=40)
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    period_start: date
    period_end: date
    recorded_at: datetime = moment_column()


class BudgetLineRow(EngagementsTable, table=True):
    __tablename__ = "budget_lines"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, foreign_key="engagements.id", max_length=36)
    period_start: date
    period_end: date
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    status: str = Field(max_length=20)
    recorded_at: datetime = moment_column()


# --- read models ----------------------------------------------------------------------------


class LessonRow(EngagementsTable, table=True):
    """The latest revision of every lesson evaluation published, and whether it still holds."""

    __tablename__ = "lessons"

    lesson_id: str = Field(primary_key=True, max_length=36)
    revision: int
    statement: str
    confidence: str = Field(max_length=20)
    context: dict[str, Any] = json_column()
    recorded_at: datetime | None = moment_column(nullable=True)
    active: bool = Field(index=True)
    owner_org: str | None = Field(default=None, max_length=200)
    visibility: str = Field(default="consortium", max_length=20)


class DeliveryRow(EngagementsTable, table=True):
    __tablename__ = "lesson_deliveries"

    engagement_id: str = Field(primary_key=True, max_length=36)
    lesson_id: str = Field(primary_key=True, index=True, max_length=36)
    revision: int
    statement: str
    confidence: str = Field(max_length=20)
    score: int
    relevance: float
    reasons: list[str] = json_column()
    reaches: bool
    retired: bool
    recorded_at: datetime | None = moment_column(nullable=True)


class PartnerTrackRow(EngagementsTable, table=True):
    """Partnerships per engagement, keyed by partnership, with the partner's tracks."""

    __tablename__ = "partner_tracks"

    partnership_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    partner_id: str = Field(max_length=36)
    partner_name: str | None = Field(default=None, max_length=200)
    tracks: list[int] = json_column()
    role: str | None = Field(default=None, max_length=80)
    starts_on: date | None = None
    ends_on: date | None = None
    ended: bool = False


class TrackLabelRow(EngagementsTable, table=True):
    """The consortium's wording of a track, from ``multitrack.reference.changed.v1``."""

    __tablename__ = "track_labels"

    code: str = Field(primary_key=True, max_length=20)
    label: str = Field(max_length=200)
    description: str
    active: bool
    changed_at: datetime = moment_column()


class CataloguedMethodRow(EngagementsTable, table=True):
    """A method of the consortium's catalogue, from ``multitrack.reference.changed.v1``."""

    __tablename__ = "catalogued_methods"

    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(max_length=200)
    origin: str = Field(max_length=20)
    active: bool
    changed_at: datetime = moment_column()


class CataloguedTrainerRow(EngagementsTable, table=True):
    """A trainer of the consortium's catalogue, from ``multitrack.trainer.catalogued.v1``."""

    __tablename__ = "catalogued_trainers"

    trainer_id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(max_length=200)
    visibility: str = Field(max_length=20)
    local: bool


class EvaluationSeenRow(EngagementsTable, table=True):
    """Evaluations of the engagements, from ``multitrack.evaluation.completed.v1``: closing
    looks for a final one."""

    __tablename__ = "evaluations_seen"

    evaluation_id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    period_start: date
    period_end: date
    completed_at: datetime = moment_column()


class PartnerSeenRow(EngagementsTable, table=True):
    """Partner organizations, from ``multitrack.partner.registered.v1`` / ``updated.v1``:
    their names and IATI identities, for the funders and implementers a report names."""

    __tablename__ = "partners_seen"

    partner_id: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    owner_org: str = Field(max_length=200)
    visibility: str = Field(max_length=20)
    iati_org_id: str | None = Field(default=None, max_length=200)
    iati_org_type: str | None = Field(default=None, max_length=10)


class MemberSeenRow(EngagementsTable, table=True):
    """Consortium members, from ``multitrack.member.joined.v1``: the owner reports."""

    __tablename__ = "members_seen"

    member_id: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    organization: str | None = Field(default=None, index=True, max_length=200)
    iati_org_id: str | None = Field(default=None, max_length=200)
    iati_org_type: str | None = Field(default=None, max_length=10)


READ_MODELS = read_models(
    LessonRow,
    DeliveryRow,
    PartnerTrackRow,
    TrackLabelRow,
    EvaluationSeenRow,
    CataloguedMethodRow,
    CataloguedTrainerRow,
    PartnerSeenRow,
    MemberSeenRow,
)
