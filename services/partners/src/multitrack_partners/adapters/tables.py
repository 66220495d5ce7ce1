"""The partners database: its own metadata, holding its tables, outbox, inbox and audit log only.

OWNED tables hold what is written over HTTP; they are never rebuilt. READ MODELS hold only
what the engagements service's events say; ``READ_MODELS`` lists them so that the runtime can
drop and replay them. No foreign key joins an owned table to a read model, so that the read
models can be dropped alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from multitrack_shared.audit.tables import audit_table
from multitrack_shared.db.columns import json_column, moment_column
from multitrack_shared.db.read_models import read_models
from multitrack_shared.db.versions import version_column
from multitrack_shared.messaging.tables import messaging_tables


class PartnersTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = PartnersTable.metadata
messaging = messaging_tables(metadata)
AUDIT_LOG = audit_table(metadata)


# --- owned ----------------------------------------------------------------------------------


class PartnerRow(PartnersTable, table=True):
    __tablename__ = "partners"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    name: str = Field(max_length=200)
    kind: str = Field(index=True, max_length=80)
    tracks: list[int] = json_column()
    countries: list[str] = json_column()
    is_local: bool = Field(index=True)
    women_led: bool = Field(index=True)
    womens_rights_org: bool
    iati_org_id: str | None = Field(default=None, max_length=100)
    iati_org_type: str | None = Field(default=None, max_length=2)
    # Personal data: kept here, served by the API, never copied into an event.
    contact_people: list[dict[str, Any]] = json_column()
    registered_at: datetime = moment_column(index=True)
    # When the public profile last changed; a change of contact people alone leaves it.
    updated_at: datetime | None = moment_column(nullable=True)
    version: int = version_column()


class TrainerRow(PartnersTable, table=True):
    """A trainer of the consortium's catalogue."""

    __tablename__ = "trainers"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    # Personal data: kept here, served by the API, never copied into an event.
    name: str = Field(max_length=200)
    organization: str = Field(max_length=200)
    methods: list[str] = json_column()
    local: bool
    catalogued_at: datetime = moment_column(index=True)


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


class MemberRow(PartnersTable, table=True):
    """A consortium member. Owned here: written over HTTP, never rebuilt from events."""

    __tablename__ = "members"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    # Case-folded name: a member joins once, however its name is typed.
    name_key: str = Field(unique=True, max_length=200)
    roles: list[str] = json_column()
    joined_on: date = Field(index=True)
    joined_at: datetime = moment_column()
    # The identity provider's alias it acts as: one member per organization.
    organization: str | None = Field(default=None, unique=True, index=True, max_length=80)
    iati_org_id: str | None = Field(default=None, max_length=100)
    iati_org_type: str | None = Field(default=None, max_length=10)
    version: int = version_column()


class MemberRoleRow(PartnersTable, table=True):
    """Indexes the member's ``roles`` list, as the partner's lists are indexed above."""

    __tablename__ = "member_roles"

    member_id: str = Field(foreign_key="members.id", primary_key=True, max_length=36)
    role: str = Field(primary_key=True, index=True, max_length=80)


class PartnershipRow(PartnersTable, table=True):
    """A partner's role on an engagement. Owned: the engagement id points into a read model,
    deliberately without a foreign key, so that the read model can be dropped and rebuilt."""

    __tablename__ = "partnerships"

    id: str = Field(primary_key=True, max_length=36)
    partner_id: str = Field(foreign_key="partners.id", index=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=100)
    owner_org: str = Field(index=True, max_length=200)
    role: str = Field(max_length=20)
    starts_on: date
    ends_on: date | None = Field(default=None)
    formed_at: datetime = moment_column()
    ended_at: datetime | None = moment_column(nullable=True)
    version: int = version_column()


# --- webhooks: owned, written over HTTP and by the consumer; never rebuilt ----------------


class SubscriptionRow(PartnersTable, table=True):
    """A partner system's subscription to events, delivered to its sink as signed webhooks."""

    __tablename__ = "subscriptions"

    id: str = Field(primary_key=True, max_length=36)
    owner_org: str = Field(index=True, max_length=200)
    sink: str = Field(max_length=2000)
    protocol: str = Field(max_length=20)
    types: list[str] = json_column()
    filters: list[dict[str, Any]] = json_column()
    # The signing secret sealed (encrypted when a key is configured): never served again.
    sealed_secret: str = Field(max_length=500)
    status: str = Field(index=True, max_length=20)
    disabled_reason: str | None = Field(default=None, max_length=500)
    disabled_at: datetime | None = moment_column(nullable=True)
    created_at: datetime = moment_column()
    # Which delivery worker sends this subscription's events until when: one at a time, so
    # that they arrive in order.
    lease_holder: str | None = Field(default=None, max_length=36)
    lease_until: datetime | None = moment_column(nullable=True)
    version: int = version_column()


class ForwardedEventRow(PartnersTable, table=True):
    """Every event received for webhooks, as delivered, with whose record it is about: what
    deliveries send and a redelivery looks through."""

    __tablename__ = "forwarded_events"

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, max_length=200)
    type: str = Field(max_length=200)
    source: str = Field(max_length=200)
    subject: str = Field(max_length=200)
    time: datetime = moment_column(index=True)
    data: dict[str, Any] = json_column()
    owner_org: str | None = Field(default=None, max_length=200)
    visibility: str = Field(max_length=20)


class DeliveryRow(PartnersTable, table=True):
    """One event on its way to one subscription; the subscription's log and dead letters."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_pending", "subscription_id", "status", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, max_length=36)
    subscription_id: str = Field(foreign_key="subscriptions.id", max_length=36)
    event_id: str = Field(foreign_key="forwarded_events.id", max_length=200)
    status: str = Field(max_length=20)
    attempts: int
    next_attempt_at: datetime = moment_column()
    last_attempt_at: datetime | None = moment_column(nullable=True)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = moment_column(nullable=True)
    redelivery: bool
    created_at: datetime = moment_column(index=True)


# --- read models ----------------------------------------------------------------------------


class EngagementRow(PartnersTable, table=True):
    """An engagement as published by the engagements service."""

    __tablename__ = "engagements"

    engagement_id: str = Field(primary_key=True, max_length=100)
    owner_org: str = Field(index=True, max_length=200)
    visibility: str = Field(max_length=20)
    country: str = Field(index=True, max_length=2)
    region: str | None = Field(default=None, max_length=200)
    inviter_track: int
    opened_at: datetime = moment_column()
    status: str = Field(max_length=20)
    status_changed_at: datetime | None = moment_column(nullable=True)


class ActivityRow(PartnersTable, table=True):
    """An activity of an engagement: whether local people led it, and its tracks."""

    __tablename__ = "engagement_activities"

    activity_id: str = Field(primary_key=True, max_length=100)
    engagement_id: str = Field(index=True, max_length=100)
    held_on: date
    led_locally: bool
    tracks: list[int] = json_column()


class ActivityParticipantsRow(PartnersTable, table=True):
    """How many took part in an activity, by sex × role (summed over tracks and sides)."""

    __tablename__ = "activity_participants"

    activity_id: str = Field(primary_key=True, max_length=100)
    sex: str = Field(primary_key=True, max_length=20)
    role: str = Field(primary_key=True, max_length=40)
    engagement_id: str = Field(index=True, max_length=100)
    count: int


class RecordOwnerRow(PartnersTable, table=True):
    """Whose record an event subject is, from the events that say so (an invitation's, an
    engagement's, a lesson's, a partner's first event): the later events of the same subject
    carry no owner, and webhooks and the partner feed decide on this."""

    __tablename__ = "record_owners"

    subject: str = Field(primary_key=True, max_length=200)
    owner_org: str = Field(max_length=200)
    visibility: str = Field(max_length=20)


class CataloguedMethodRow(PartnersTable, table=True):
    """A method of the consortium's catalogue (reference data kept by evaluation), as its
    latest change says: a trainer names only the active ones."""

    __tablename__ = "catalogued_methods"

    code: str = Field(primary_key=True, max_length=100)
    active: bool = True
    changed_at: datetime = moment_column()


READ_MODELS = read_models(
    EngagementRow, ActivityRow, ActivityParticipantsRow, RecordOwnerRow, CataloguedMethodRow
)
