"""The outbox relay: publishes committed outbox rows to Kafka, in order, and marks them sent.

It wakes as soon as a unit of work commits events; a slow poll picks up rows nobody woke it
for (a crash between commit and send, or a broker outage). Rows are sent in ``seq`` order by
one idempotent producer and marked sent only after the broker acknowledged them, so an
outage delays events but never loses one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.kafka import close_quietly, new_producer
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)

BATCH = 200
RELAY_LOCK_KEY = 0x6D756C7469  # "multi": one relay per database sends at a time
MAX_BACKOFF_SECONDS = 5.0


class OutboxRelay:
    def __init__(
        self, settings: ServiceSettings, engine: AsyncEngine, tables: MessagingTables
    ) -> None:
        self._settings = settings
        self._engine = engine
        self._outbox = tables.outbox
        self._wakeup = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        backoff = 0.0
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._wakeup.wait(), backoff or self._settings.relay_poll_seconds
                    )
                self._wakeup.clear()
                try:
                    while await self.publish_batch() == BATCH:
                        pass
                    backoff = 0.0
                except Exception as exc:  # broker or database down: keep the rows, try again
                    backoff = min(max(backoff * 2, 0.25), MAX_BACKOFF_SECONDS)
                    log.warning("outbox relay waits", error=repr(exc), retry_in=backoff)
                    await self._drop_producer()
        finally:
            await self._drop_producer()

    async def publish_batch(self) -> int:
        """Send the oldest unsent rows; returns how many were sent.

        Rows are read, sent and marked in one transaction that, on PostgreSQL, first takes a
        transaction-scoped advisory lock: with several replicas of a service, one relay sends
        at a time, so a key's events never leave in two interleaved streams.
        """
        failure: BaseException | None = None
        async with self._engine.connect() as connection, connection.begin():
            if not await self._our_turn(connection):
                return 0
            rows = (
                await connection.execute(
                    select(self._outbox)
                    .where(self._outbox.c.sent_at.is_(None))
                    .order_by(self._outbox.c.seq)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return 0
            sent, failure = await self._deliver(rows)
            if sent:
                await connection.execute(
                    update(self._outbox)
                    .where(self._outbox.c.seq.in_(sent))
                    .values(sent_at=datetime.now(UTC))
                )
        if failure is not None:
            raise failure
        return len(sent)

    async def _our_turn(self, connection: AsyncConnection) -> bool:
        if connection.dialect.name != "postgresql":
            return True  # SQLite is embedded: one process, one relay
        taken = await connection.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RELAY_LOCK_KEY}
        )
        return bool(taken)

    async def _deliver(self, rows: Sequence[Any]) -> tuple[list[int], Exception | None]:
        """Send in order; the seqs the broker acknowledged, up to the first failure."""
        sent: list[int] = []
        try:
            producer = await self._ready_producer()
            deliveries = [await self._send(producer, row) for row in rows]
            for row, delivery in zip(rows, deliveries, strict=True):
                await delivery
                sent.append(row.seq)
        except Exception as exc:
            return sent, exc
        return sent, None

    async def _send(self, producer: AIOKafkaProducer, row: Any) -> asyncio.Future[Any]:
        envelope = Envelope(
            id=row.event_id,
            type=row.event_type,
            source=row.source,
            subject=row.message_key,
            time=_aware(row.occurred_at),
            data=row.data,
        )
        message = envelope.to_kafka()
        future: asyncio.Future[Any] = await producer.send(
            self._settings.topic_prefix + row.topic,
            value=message.value,
            key=row.message_key.encode(),
            headers=list(message.headers.items()),
        )
        return future

    async def _ready_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = new_producer(self._settings)
            try:
                await producer.start()
            except Exception:
                await close_quietly(producer)
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        # A fresh producer after a failure restarts the idempotent sequence cleanly.
        producer, self._producer = self._producer, None
        if producer is not None:
            await close_quietly(producer)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
