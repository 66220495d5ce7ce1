"""READ MODELS: tables filled only from the engagements' and partners' events.

Names, codes and free text taken from events have no length cap here: the events' contracts
set none, and a read model must hold whatever a producer may publish. Ids are UUIDs.

They can be dropped at any time: the service then recreates them empty and replays every
consumed event from offset zero. Each row is keyed by ids (or, where an event carries none,
by its natural key) taken from the event, so applying an event twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Table
from sqlmodel import Field

from multitrack_evaluation.adapters.base import EvaluationTable


def _moment(*, nullable: bool = False, primary_key: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, primary_key=primary_key),
    )


def _json() -> Any:
    return Field(sa_column=Column(JSON, nullable=False))


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
    opened_at: datetime = _moment()
    closed_at: datetime | None = _moment(nullable=True)
    closed_early: bool | None = None
    close_reason: str | None = None


class DigestStatusChangeRow(EvaluationTable, table=True):
    __tablename__ = "digest_status_changes"

    engagement_id: str = Field(primary_key=True, max_length=36)
    changed_at: datetime = _moment(primary_key=True)
    to_status: str = Field(primary_key=True)
    from_status: str
    reason: str | None = None
    note: str | None = None


class DigestAnalysisRow(EvaluationTable, table=True):
    __tablename__ = "digest_analyses"

    engagement_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    analysed_on: date
    sides: list[str] = _json()
    actor_tracks: list[int] = _json()
    actors_by_role: dict[str, int] = _json()
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
    place: str
    tracks: list[int] = _json()
    peacebuilding_kind: str
    rpp_quadrant: str
    methods: list[dict[str, Any]] = _json()
    local_facilitators: int
    external_facilitators: int
    led_locally: bool
    participants: list[dict[str, Any]] = _json()


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
    partner_tracks: list[int] = _json()
    partner_is_local: bool
    partner_women_led: bool
    formed_at: datetime = _moment()
    ended_at: datetime | None = _moment(nullable=True)


class LessonResponseRow(EvaluationTable, table=True):
    """An engagement's latest response to a lesson (a later one replaces an earlier one)."""

    __tablename__ = "lesson_responses"

    engagement_id: str = Field(primary_key=True, max_length=36)
    lesson_id: str = Field(primary_key=True, index=True, max_length=36)
    response: str
    why: str
    responded_at: datetime = _moment()


def _table(row: type[EvaluationTable]) -> Table:
    table: Table = row.__table__  # type: ignore[attr-defined]  # set by SQLModel's table=True
    return table


READ_MODELS: tuple[Table, ...] = tuple(
    _table(row)
    for row in (
        DigestEngagementRow,
        DigestStatusChangeRow,
        DigestAnalysisRow,
        DigestHearingRow,
        DigestActivityRow,
        DigestLiaisonRow,
        DigestPartnershipRow,
        LessonResponseRow,
    )
)
