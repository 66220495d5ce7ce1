"""The engagements database: its own metadata, holding its tables, outbox and inbox only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.messaging.tables import messaging_tables


class EngagementsTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = EngagementsTable.metadata
messaging = messaging_tables(metadata)


class EngagementRow(EngagementsTable, table=True):
    __tablename__ = "engagements"

    id: str = Field(primary_key=True, max_length=36)
    invitation_id: str = Field(unique=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    purpose: str
    status: str = Field(index=True, max_length=20)
    country: str = Field(index=True, max_length=2)
    conflict: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
