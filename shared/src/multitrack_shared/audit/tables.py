"""The ``audit_log`` table, added to a service's own metadata like the outbox and inbox."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table

from multitrack_shared.messaging.tables import SEQUENCE

ANONYMOUS = "anonymous"
"""The actor kind of a change made by a unit of work that knows no caller."""


def audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_log",
        metadata,
        Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("record_type", String(100), nullable=False),
        Column("record_id", String(200), nullable=False),
        Column("action", String(200), nullable=False),
        Column("actor_kind", String(20), nullable=False),
        Column("actor_subject", String(200), nullable=True),
        Column("actor_organization", String(200), nullable=True),
        Column("actor_client", String(200), nullable=True),
        Column("request_id", String(200), nullable=True),
        Column("event_id", String(36), nullable=True),
        Index("ix_audit_log_record", "record_id", "seq"),
        Index("ix_audit_log_organization", "actor_organization", "seq"),
    )
