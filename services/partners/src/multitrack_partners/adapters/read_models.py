"""Read models: tables filled only from other services' events, dropped and rebuilt by replay.

No foreign key joins them to the tables this service owns, so that they can be dropped alone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, Table
from sqlmodel import Field

from multitrack_partners.adapters.tables import PartnersTable


class EngagementRow(PartnersTable, table=True):
    """An engagement as published by the engagements service."""

    __tablename__ = "engagements"

    engagement_id: str = Field(primary_key=True, max_length=100)
    owner_org: str = Field(index=True, max_length=200)
    country: str = Field(index=True, max_length=2)
    region: str | None = Field(default=None, max_length=200)
    inviter_track: int
    opened_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(max_length=20)
    status_changed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ActivityRow(PartnersTable, table=True):
    """An activity of an engagement: whether local people led it, and its tracks."""

    __tablename__ = "engagement_activities"

    activity_id: str = Field(primary_key=True, max_length=100)
    engagement_id: str = Field(index=True, max_length=100)
    held_on: date
    led_locally: bool
    tracks: list[int] = Field(sa_column=Column(JSON, nullable=False))


class ActivityParticipantsRow(PartnersTable, table=True):
    """How many took part in an activity, by sex × role (summed over tracks and sides)."""

    __tablename__ = "activity_participants"

    activity_id: str = Field(primary_key=True, max_length=100)
    sex: str = Field(primary_key=True, max_length=20)
    role: str = Field(primary_key=True, max_length=40)
    engagement_id: str = Field(index=True, max_length=100)
    count: int


READ_MODELS: tuple[Table, ...] = tuple(
    PartnersTable.metadata.tables[name]
    for name in ("engagements", "engagement_activities", "activity_participants")
)
"""Handed to the runtime, which drops and replays them when any is missing."""
