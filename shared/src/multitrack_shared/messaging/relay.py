"""The outbox relay: publishes committed outbox rows to Kafka, in order, and marks them sent.

It wakes as soon as a unit of work commits events; a slow poll (``relay_poll_seconds``) picks
up rows nobody woke it for (a crash between commit and send, or a broker outage). Rows are
sent in ``seq`` order by one idempotent producer and marked sent only after the broker
acknowledged them, so an outage delays events but never loses one.

**Back-off.** After a failed attempt (broker or database down) the relay waits half a second,
then twice as long after each further failure, up to ``relay_max_backoff_seconds``, and logs
one line per attempt. Wake-ups during that wait do not cut it short — every commit wakes the
relay, and an outage must not be retried at the rate of writes; the next attempt, at the end
of the wait, sends whatever they announced. A success ends the back-off.

**Parking.** A row the broker refuses for good (``REFUSED_FOR_GOOD``: larger than the producer's
or the topic's message size limit, or a topic name that cannot exist) would otherwise block
every row behind it. It is sent once more on its own — a batch can be refused for its size
alone — and, refused again, parked: ``parked_at`` and ``park_error`` are set and the relay goes
on with the next rows. Refusals an operator fixes elsewhere are *not* permanent and only back
off: authorization failures (an ACL applies to every row of a topic), unknown topics (created
at start), corrupt-record and invalid-timestamp answers (transport and clock trouble, retried
by Kafka's own clients), and ``UnknownError`` (error codes the client cannot name).

Later events with the same key as a parked one are still sent: one oversized event must not
stop an aggregate's stream. The parked event is listed by ``messaging.parked.parked_events``;
once the cause is fixed, ``messaging.parked.resend_parked`` clears its parked state and the
relay sends it at its next wake or poll — after its successors, which consumers then see first.

**Stopping.** ``stop_soon()`` ends the rest or back-off at once; the relay then sends what the
outbox holds until it is empty or an attempt fails, and ``run()`` returns. Rows it could not
send stay in the outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from opentelemetry import trace
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.kafka import close_quietly, new_producer
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.messaging.topics import in_namespace
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.times import utc
from multitrack_shared.tracing import end_failed, end_on_delivery, start_publish_span

log = get_logger(__name__)

BATCH = 200
RELAY_LOCK_KEY = 0x6D756C7469  # "multi": one relay per database sends at a time
FIRST_BACKOFF_SECONDS = 0.5

REFUSED_FOR_GOOD: tuple[type[Exception], ...] = (
    MessageSizeTooLargeError,  # over max_request_size (client) or max.message.bytes (broker)
    RecordTooLargeError,
    RecordListTooLargeError,  # its batch is over the segment size
    InvalidTopicError,  # an illegal or internal topic name: no topic will ever accept it
)


def refused_for_good(error: BaseException) -> bool:
    """Whether sending the same record to the same topic again can never succeed."""
    return isinstance(error, REFUSED_FOR_GOOD)


def backoff_seconds(failures: int, longest: float) -> float:
    """The wait after ``failures`` consecutive failed attempts: doubling, capped."""
    return min(FIRST_BACKOFF_SECONDS * 2.0 ** min(failures - 1, 32), longest)


@dataclass(frozen=True)
class _Failure:
    row: Any
    error: Exception


class OutboxRelay:
    def __init__(
        self,
        settings: ServiceSettings,
        engine: AsyncEngine,
        tables: MessagingTables,
        *,
        metrics: ServiceMetrics | None = None,
        tracer: trace.Tracer | None = None,
    ) -> None:
        self._settings = settings
        self._tracer = tracer or trace.get_tracer(__name__)
        self._engine = engine
        self._outbox = tables.outbox
        self._metrics = metrics or ServiceMetrics(settings.service_name)
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None

    def wake(self) -> None:
        self._wakeup.set()

    def stop_soon(self) -> None:
        """Send what waits now, then return from ``run()``."""
        self._stopping.set()
        self._wakeup.set()

    async def run(self) -> None:
        failures = 0
        try:
            while True:
                await self._rest(failures)
                if self._stopping.is_set():
                    await self._flush()
                    return
                try:
                    while await self.publish_batch():
                        pass
                    failures = 0
                except Exception as exc:  # broker or database down: keep the rows, try again
                    failures += 1
                    self._metrics.outbox_failures.inc()
                    log.warning(
                        "outbox relay waits",
                        error=repr(exc),
                        failures=failures,
                        retry_in=backoff_seconds(
                            failures, self._settings.relay_max_backoff_seconds
                        ),
                    )
                    await self._drop_producer()
        finally:
            await self._drop_producer()

    async def _rest(self, failures: int) -> None:
        """Until woken or the poll is due; after failures, for the whole back-off. Asked to
        stop, at once."""
        if failures:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._stopping.wait(),
                    backoff_seconds(failures, self._settings.relay_max_backoff_seconds),
                )
        else:
            # Not asyncio.wait_for: on Python 3.11 its inner task can swallow a cancellation
            # that lands as the wake-up does, and the relay then never stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._settings.relay_poll_seconds):
                    await self._wakeup.wait()
        self._wakeup.clear()

    async def _flush(self) -> None:
        try:
            while await self.publish_batch():
                pass
        except Exception as exc:
            self._metrics.outbox_failures.inc()
            log.warning("outbox rows left for the next start", error=repr(exc))

    async def publish_batch(self) -> int:
        """Send the oldest unsent rows; returns how many left the queue, sent or parked.

        Rows are read, sent and marked in one transaction that, on PostgreSQL, first takes a
        transaction-scoped advisory lock: with several replicas of a service, one relay sends
        at a time, so a key's events never leave in two interleaved streams. A failure that
        may pass is raised once the rows sent before it are marked.
        """
        async with self._engine.connect() as connection, connection.begin():
            if not await self._our_turn(connection):
                return 0
            rows = (
                await connection.execute(
                    select(self._outbox)
                    .where(self._outbox.c.sent_at.is_(None), self._outbox.c.parked_at.is_(None))
                    .order_by(self._outbox.c.seq)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return 0
            sent, failure = await self._deliver(rows)
            if failure is not None and refused_for_good(failure.error):
                alone, failure = await self._deliver([failure.row])
                sent += alone
            parked = 0
            if failure is not None and refused_for_good(failure.error):
                await self._park(connection, failure)
                parked, failure = 1, None
            if sent:
                await connection.execute(
                    update(self._outbox)
                    .where(self._outbox.c.seq.in_(sent))
                    .values(sent_at=datetime.now(UTC))
                )
        acknowledged = set(sent)
        for row in rows:
            if row.seq in acknowledged:
                self._metrics.outbox_published.labels(row.topic).inc()
        if failure is not None:
            raise failure.error
        return len(sent) + parked

    async def _our_turn(self, connection: AsyncConnection) -> bool:
        if connection.dialect.name != "postgresql":
            return True  # SQLite is embedded: one process, one relay
        taken = await connection.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RELAY_LOCK_KEY}
        )
        return bool(taken)

    async def _deliver(self, rows: Sequence[Any]) -> tuple[list[int], _Failure | None]:
        """Send in order; the seqs the broker acknowledged and the first row that failed.

        Rows after a failure that the broker acknowledged anyway (on other partitions) count
        as sent, so that they are not sent twice. On the failed row's partition nothing after
        it is acknowledged: the idempotent producer refuses to leave a gap in its sequence.
        """
        try:
            producer = await self._ready_producer()
        except Exception as exc:  # the broker is out of reach: nothing left
            return [], _Failure(rows[0], exc)
        in_flight: list[tuple[Any, asyncio.Future[Any]]] = []
        refused_before_leaving: _Failure | None = None
        for row in rows:
            try:
                in_flight.append((row, await self._send(producer, row)))
            except Exception as exc:  # e.g. over max_request_size; stop: later rows wait
                refused_before_leaving = _Failure(row, exc)
                break
        sent: list[int] = []
        first_failure: _Failure | None = None
        for row, delivery in in_flight:
            try:
                await delivery
                sent.append(row.seq)
            except Exception as exc:
                first_failure = first_failure or _Failure(row, exc)
        failure = first_failure or refused_before_leaving
        if failure is not None:
            await self._drop_producer()
        return sent, failure

    async def _park(self, connection: AsyncConnection, failure: _Failure) -> None:
        reason = f"{type(failure.error).__name__}: {failure.error}"[:2000]
        await connection.execute(
            update(self._outbox)
            .where(self._outbox.c.seq == failure.row.seq)
            .values(parked_at=datetime.now(UTC), park_error=reason)
        )
        log.error(
            "outbox event parked: the broker refuses it for good",
            event_id=failure.row.event_id,
            event_type=failure.row.event_type,
            error=reason,
        )

    async def _send(self, producer: AIOKafkaProducer, row: Any) -> asyncio.Future[Any]:
        topic = in_namespace(row.topic, self._settings.topic_namespace)
        span, trace_context = start_publish_span(
            self._tracer,
            topic=topic,
            event_id=row.event_id,
            event_type=row.event_type,
            stored_context=row.trace_context,
        )
        envelope = Envelope(
            id=row.event_id,
            type=row.event_type,
            source=row.source,
            subject=row.message_key,
            time=utc(row.occurred_at),
            data=row.data,
            trace_context=trace_context,
        )
        message = envelope.to_kafka()
        try:
            future: asyncio.Future[Any] = await producer.send(
                topic,
                value=message.value,
                key=row.message_key.encode(),
                headers=list(message.headers.items()),
            )
        except Exception as exc:
            end_failed(span, exc)
            raise
        end_on_delivery(span, future)
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
