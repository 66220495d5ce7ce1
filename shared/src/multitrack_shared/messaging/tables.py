"""The outbox, inbox and idempotency-key tables, added to each service's own metadata.

They are SQLAlchemy Core tables built per metadata, so that each service's migrations see its
own copy and no process-wide registry mixes services.

An outbox row is unsent (``sent_at`` and ``parked_at`` empty), sent (``sent_at``), or parked
(``parked_at`` and ``park_error``): refused by the broker for good and set aside until an
operator re-sends it (``messaging.parked``). Sent rows and inbox ids are pruned after their
retention (``messaging.pruning``); unsent and parked rows never are.

An idempotency key row holds the answer to a write sent with an ``Idempotency-Key``, written in
the write's own transaction (``http.idempotency``), until ``expires_at``; pruned after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# SQLite autoincrements only an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    inbox: Table
    idempotency_keys: Table


def messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("data", JSON, nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("parked_at", DateTime(timezone=True), nullable=True),
        Column("park_error", Text, nullable=True),
        # The W3C trace context the event was published in (traceparent, tracestate).
        Column("trace_context", JSON, nullable=True),
        Index("ix_outbox_unsent", "sent_at", "seq"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(200), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False),
        Index("ix_inbox_applied_at", "applied_at"),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        # A digest of who asked (organization or client), the method, the path and the key.
        Column("id", String(64), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status", Integer, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )
    return MessagingTables(outbox=outbox, inbox=inbox, idempotency_keys=idempotency_keys)
