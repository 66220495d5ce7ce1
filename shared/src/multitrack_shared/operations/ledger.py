"""What a service's outbox and inbox say: how much waits to be sent, what is parked, and
where one event stands (written, sent, parked; applied here, when, from which record)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.times import utc


@dataclass(frozen=True)
class OutboxSummary:
    unsent: int
    oldest_unsent_at: datetime | None
    parked: int


@dataclass(frozen=True)
class OutboxEntry:
    topic: str
    message_key: str
    event_type: str
    occurred_at: datetime
    sent_at: datetime | None
    parked_at: datetime | None
    park_error: str | None


@dataclass(frozen=True)
class InboxEntry:
    event_type: str
    topic: str
    partition: int
    offset: int
    applied_at: datetime


def _moment(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


async def outbox_summary(engine: AsyncEngine, tables: MessagingTables) -> OutboxSummary:
    outbox = tables.outbox
    unsent = (outbox.c.sent_at.is_(None)) & (outbox.c.parked_at.is_(None))
    async with engine.connect() as connection:
        waiting = (
            await connection.execute(
                select(func.count(), func.min(outbox.c.occurred_at)).where(unsent)
            )
        ).one()
        parked = await connection.scalar(
            select(func.count()).where(outbox.c.parked_at.is_not(None))
        )
    return OutboxSummary(waiting[0], _moment(waiting[1]), parked or 0)


async def outbox_entry(
    engine: AsyncEngine, tables: MessagingTables, event_id: str
) -> OutboxEntry | None:
    outbox = tables.outbox
    async with engine.connect() as connection:
        row = (
            await connection.execute(select(outbox).where(outbox.c.event_id == event_id))
        ).first()
    if row is None:
        return None
    return OutboxEntry(
        topic=row.topic,
        message_key=row.message_key,
        event_type=row.event_type,
        occurred_at=utc(row.occurred_at),
        sent_at=_moment(row.sent_at),
        parked_at=_moment(row.parked_at),
        park_error=row.park_error,
    )


async def inbox_entries(
    engine: AsyncEngine, tables: MessagingTables, event_ids: Iterable[str]
) -> dict[str, InboxEntry]:
    """The inbox rows of these events, by event id: those applied here."""
    inbox = tables.inbox
    wanted = list(dict.fromkeys(event_ids))
    if not wanted:
        return {}
    async with engine.connect() as connection:
        rows = (await connection.execute(select(inbox).where(inbox.c.event_id.in_(wanted)))).all()
    return {
        row.event_id: InboxEntry(
            row.event_type, row.topic, row.partition, row.offset, utc(row.applied_at)
        )
        for row in rows
    }


async def table_rows(engine: AsyncEngine, tables: Iterable[Table]) -> dict[str, int]:
    """How many rows each of these tables holds (a rebuild's summary)."""
    counts: dict[str, int] = {}
    async with engine.connect() as connection:
        for table in tables:
            counts[table.name] = (
                await connection.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts
