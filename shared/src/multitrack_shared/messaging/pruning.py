"""Pruning of the messaging tables, so that they do not grow for ever.

Sent outbox rows are kept ``outbox_retention_hours`` after they were sent (for looking into
what left, and when); inbox ids ``inbox_retention_hours`` after they were applied, which the
settings hold to at least the topics' retention: an id still has to be known for as long as
its event can be delivered again. Unsent and parked outbox rows are never pruned. Idempotency
keys go once they expire (``idempotency_hours`` after their write).

Rows are deleted in batches of ``PRUNE_BATCH``, one short transaction each, so pruning a large
backlog never holds a long lock on a table the relay and the consumer write to. Several
replicas may prune at once: each deletes what is left.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)

PRUNE_BATCH = 1000


@dataclass(frozen=True)
class Pruned:
    outbox_rows: int
    inbox_ids: int
    idempotency_keys: int = 0


async def prune_messaging_tables(
    engine: AsyncEngine,
    tables: MessagingTables,
    settings: ServiceSettings,
    now: datetime | None = None,
) -> Pruned:
    now = now or datetime.now(UTC)
    outbox, inbox, keys = tables.outbox, tables.inbox, tables.idempotency_keys
    sent_before = now - timedelta(hours=settings.outbox_retention_hours)
    applied_before = now - timedelta(hours=settings.inbox_retention_hours)
    return Pruned(
        outbox_rows=await _delete_in_batches(
            engine,
            outbox,
            outbox.c.seq,
            # A parked row has no sent_at; the second condition says so for the reader.
            (outbox.c.sent_at < sent_before) & outbox.c.parked_at.is_(None),
        ),
        inbox_ids=await _delete_in_batches(
            engine, inbox, inbox.c.event_id, inbox.c.applied_at < applied_before
        ),
        idempotency_keys=await _delete_in_batches(engine, keys, keys.c.id, keys.c.expires_at < now),
    )


async def prune_periodically(
    engine: AsyncEngine, tables: MessagingTables, settings: ServiceSettings
) -> None:
    """Prune now and every ``prune_interval_seconds``; a failure waits for the next round."""
    while True:
        try:
            pruned = await prune_messaging_tables(engine, tables, settings)
            if pruned.outbox_rows or pruned.inbox_ids or pruned.idempotency_keys:
                log.info(
                    "messaging tables pruned",
                    outbox_rows=pruned.outbox_rows,
                    inbox_ids=pruned.inbox_ids,
                    idempotency_keys=pruned.idempotency_keys,
                )
        except Exception as exc:  # database down: the rows wait for the next round
            log.warning("messaging tables not pruned", error=repr(exc))
        await asyncio.sleep(settings.prune_interval_seconds)


async def _delete_in_batches(
    engine: AsyncEngine, table: Table, key: ColumnElement[object], expired: ColumnElement[bool]
) -> int:
    deleted = 0
    while True:
        async with engine.begin() as connection:
            batch = select(key).where(expired).limit(PRUNE_BATCH).scalar_subquery()
            result = await connection.execute(delete(table).where(key.in_(batch)))
        deleted += result.rowcount
        if result.rowcount < PRUNE_BATCH:
            return deleted
        await asyncio.sleep(0)  # let requests and the relay in between batches
