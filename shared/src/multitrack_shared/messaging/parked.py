"""Outbox rows the broker refused for good, for an operator to see and send again.

The relay parks such a row (``parked_at``, ``park_error``) and goes on with the rows behind it.
``parked_events`` lists them, oldest first; once the cause is fixed (a larger
``max.message.bytes``, say), ``resend_parked`` clears their parked state and the relay sends
them at its next attempt (its poll, ``relay_poll_seconds``, at the latest).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.times import utc


@dataclass(frozen=True)
class ParkedEvent:
    seq: int
    event_id: str
    event_type: str
    topic: str
    message_key: str
    occurred_at: datetime
    parked_at: datetime
    park_error: str


async def parked_events(
    engine: AsyncEngine, tables: MessagingTables, limit: int = 100
) -> list[ParkedEvent]:
    outbox = tables.outbox
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(
                    outbox.c.seq,
                    outbox.c.event_id,
                    outbox.c.event_type,
                    outbox.c.topic,
                    outbox.c.message_key,
                    outbox.c.occurred_at,
                    outbox.c.parked_at,
                    outbox.c.park_error,
                )
                .where(outbox.c.parked_at.is_not(None))
                .order_by(outbox.c.seq)
                .limit(limit)
            )
        ).all()
    return [
        ParkedEvent(
            seq=row.seq,
            event_id=row.event_id,
            event_type=row.event_type,
            topic=row.topic,
            message_key=row.message_key,
            occurred_at=utc(row.occurred_at),
            parked_at=utc(row.parked_at),
            park_error=row.park_error or "",
        )
        for row in rows
    ]


async def resend_parked(
    engine: AsyncEngine, tables: MessagingTables, event_ids: Iterable[str]
) -> int:
    """Clear the parked state of these events; returns how many were parked."""
    outbox = tables.outbox
    async with engine.begin() as connection:
        cleared = await connection.execute(
            update(outbox)
            .where(outbox.c.event_id.in_(list(event_ids)), outbox.c.parked_at.is_not(None))
            .values(parked_at=None, park_error=None)
        )
    return cleared.rowcount
