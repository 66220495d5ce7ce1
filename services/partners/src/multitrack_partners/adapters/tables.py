"""The partners database: its own metadata, holding its tables, outbox and inbox only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.messaging.tables import messaging_tables


class PartnersTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = PartnersTable.metadata
messaging = messaging_tables(metadata)


class PartnerRow(PartnersTable, table=True):
    __tablename__ = "partners"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    name: str = Field(max_length=200)
    kind: str = Field(index=True, max_length=80)
    tracks: list[int] = Field(sa_column=Column(JSON, nullable=False))
    countries: list[str] = Field(sa_column=Column(JSON, nullable=False))
    is_local: bool = Field(index=True)
    women_led: bool = Field(index=True)
    womens_rights_org: bool
    iati_org_id: str | None = Field(default=None, max_length=100)
    iati_org_type: str | None = Field(default=None, max_length=2)
    # Personal data: kept here, served by the API, never copied into an event.
    contact_people: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    registered_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), index=True, nullable=False)
    )


# The two tables below index the row's ``countries`` and ``tracks`` lists, so that the list
# filters run as plain SQL on both SQLite and PostgreSQL instead of dialect-specific JSON.


class PartnerCountryRow(PartnersTable, table=True):
    __tablename__ = "partner_countries"

    partner_id: str = Field(foreign_key="partners.id", primary_key=True, max_length=36)
    country: str = Field(primary_key=True, index=True, max_length=2)


class PartnerTrackRow(PartnersTable, table=True):
    __tablename__ = "partner_tracks"

    partner_id: str = Field(foreign_key="partners.id", primary_key=True, max_length=36)
    track: int = Field(primary_key=True, index=True)
