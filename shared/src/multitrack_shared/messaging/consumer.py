"""The one consumer runtime: idempotent, retrying, with a dead-letter topic.

For each record: decode the CloudEvent; if the current version of its type has a handler,
read its payload as that version (``events.upcasting``: validated against the record's own
version, then upcast), open a unit of work acting as the service itself (``system_principal``,
the event id as request id, for the audit), skip it if the inbox already holds its id,
otherwise run the handler and record the id in the same transaction; then commit the record's
offset.

**Per poll.** The records one poll fetched from a partition are applied in that order in *one*
transaction with their inbox rows, then their offsets are committed at once: a transaction and
an offset commit per record is what kept a consumer at tens of events a second. Each event is
still handled in its own span, audited under its own id and counted once committed. If
anything in such a batch fails, the whole transaction is rolled back. When a handler failed,
the records before it are applied together again, it goes on alone as described below (that
failure was its first attempt) and those after it together; when the failure names no record
(one cannot be decoded, a constraint at commit, the database gone), the batch's records are
applied one by one, each with its own retries and dead letter.

Only the inbox decides what was already applied. When recording the id or committing fails
on a constraint, the inbox is read again in a fresh transaction: if it now holds the id, a
consumer that owned the partition before a rebalance applied the event and this delivery is
skipped; any other error, the handler's own constraint violations included, is a failure.

A failure is retried with exponential back-off (``consumer_retry_backoff_seconds``, doubled
each time). A record that still fails after ``consumer_max_attempts`` tries, and any record
that cannot be decoded or validated, goes to the service's dead-letter topic with the error
and its origin in the headers, and consumption goes on with the next record: nothing is
skipped in silence.

**Progress and metrics.** Each partition's lag and progress go to ``ConsumerProgress`` (a stall
turns the service's health ``degraded``); each record's outcome, each handler's time, retries
and dead letters to the service's metrics.

**Stopping.** ``stop_soon()`` lets the record in hand finish and its offset be committed (in a
batch: the records applied so far), then ``run()`` returns; fetched records not started stay
uncommitted for the partition's next owner. A record that is retrying or waiting for the
database when asked to stop is abandoned uncommitted rather than dead-lettered: it is
delivered again.

Each record is applied in a consumer span, a child of the trace its ``traceparent`` names, and
the log lines written meanwhile carry its event id and owning organization.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import (
    AIOKafkaConsumer,
    ConsumerRecord,
    TopicPartition,
)
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from multitrack_shared.auth.principal import system_principal
from multitrack_shared.db.errors import database_unavailable
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope, IntegrationEvent, UndecodableEvent
from multitrack_shared.events.upcasting import current_type, read_event
from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.consumer_state import Outcome, Retrying
from multitrack_shared.messaging.dead_letters import DeadLetters
from multitrack_shared.messaging.kafka import close_quietly, new_consumer
from multitrack_shared.messaging.replay import Replay, ReplayOnAssignment
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.observability.progress import ConsumerProgress
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.tracing import consume_span, mark_failed

log = get_logger(__name__)

DATABASE_OUTAGE_MAX_DELAY = 5.0
"""Longest pause between two tries of an event while the database is unreachable."""

U = TypeVar("U", bound=UnitOfWork)
E = TypeVar("E", bound=IntegrationEvent)

EventHandler = Callable[[Any, U], Awaitable[None]]
"""``async def on_something(event, uow)``: apply one event; the runtime commits."""


@dataclass(frozen=True)
class Subscription(Generic[U]):
    """What a service consumes: event class (a current version) → handler."""

    handlers: Mapping[type[IntegrationEvent], EventHandler[U]]

    @property
    def topics(self) -> tuple[TopicSpec, ...]:
        return consumed_topics(self.handlers)

    def handler_for(self, event_type: str) -> EventHandler[U] | None:
        """The handler of records of ``event_type``: of the version they are read as."""
        read_as = current_type(event_type)
        for event, handler in self.handlers.items():
            if event.event_type == read_as:
                return handler
        return None


def consumed_topics(handlers: Iterable[type[IntegrationEvent]]) -> tuple[TopicSpec, ...]:
    """The topics a service reads: those of the events it has handlers for, each once."""
    return tuple(dict.fromkeys(event.topic for event in handlers))


_COUNTED = {
    Outcome.applied: "applied",
    Outcome.already_applied: "duplicate",
    Outcome.not_consumed: "ignored",
}
"""The metric outcome of each way a record can pass in a batch (none is dead-lettered there)."""

POLL_RECORDS = 500
"""Records fetched at most per poll: a partition's share is applied in one transaction."""


@dataclass(frozen=True)
class _Prepared:
    """A fetched record decoded: its envelope, and the event and handler when consumed here."""

    envelope: Envelope
    event: IntegrationEvent | None
    handler: EventHandler[Any] | None


class _HandlerFailed(Exception):
    """The handler of a batch's record at ``index`` failed with ``error``."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


class PoisonEvent(Exception):
    """Retrying cannot help: the record is undecodable or its payload fails validation."""


class Abandoned(Exception):
    """Asked to stop while the record was retrying: it stays uncommitted, delivered again."""


class ConsumerRuntime(Generic[U]):
    def __init__(
        self,
        settings: ServiceSettings,
        subscription: Subscription[U],
        new_uow: Callable[[], U],
        tables: MessagingTables,
        *,
        metrics: ServiceMetrics | None = None,
        progress: ConsumerProgress | None = None,
        tracer: trace.Tracer | None = None,
    ) -> None:
        self._settings = settings
        self._metrics = metrics or ServiceMetrics(settings.service_name)
        self.progress = progress or ConsumerProgress(settings.consumer_stall_seconds)
        self._tracer = tracer or trace.get_tracer(__name__)
        self._stopping = False
        self._client: AIOKafkaConsumer | None = None
        self._subscription = subscription
        self._new_uow = new_uow
        self._inbox = tables.inbox
        self._actor = system_principal(settings.service_name)
        self._dead_letters = DeadLetters(settings)
        self._outage_delay = 0.0
        self.replay_from_beginning = False
        """Set when read models were rebuilt: the next assignment starts at offset zero."""
        self.replay: Replay | None = None
        """The latest replay from the beginning and how far it has come."""
        self.retrying: dict[str, Retrying] = {}
        """Event id → the event whose handler failed and is being tried again."""

    @property
    def subscription(self) -> Subscription[U]:
        return self._subscription

    def stop_soon(self) -> None:
        """Finish the record in hand, commit its offset, and return from ``run()``."""
        self._stopping = True

    async def run(self) -> None:
        try:
            while not self._stopping:
                consumer = new_consumer(self._settings)
                try:
                    await consumer.start()
                    consumer.subscribe(
                        topics=[
                            t.qualified(self._settings.topic_namespace)
                            for t in self._subscription.topics
                        ],
                        listener=ReplayOnAssignment(self, consumer),
                    )
                    await self._consume(consumer)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # broker gone at start or mid-stream: reconnect
                    log.warning("consumer restarts", error=repr(exc))
                    await self._dead_letters.close()
                    await asyncio.sleep(1.0)
                finally:
                    await close_quietly(consumer)
        finally:
            await self._dead_letters.close()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        self.progress.watch(consumer.highwater)
        self._client = consumer
        try:
            await self._consume_until_stopped(consumer)
        finally:
            self._client = None
            self.progress.watch(None)

    async def refresh_ends(self, within: float = 3.0) -> None:
        """Ask the broker where each assigned partition ends: a handler that blocks stops
        the fetching that otherwise tells, and its lag must still grow."""
        client = self._client
        if client is None or not client.assignment():
            return
        ends = await asyncio.wait_for(client.end_offsets(list(client.assignment())), within)
        for partition, end in ends.items():
            self.progress.ended(partition, end)

    async def _consume_until_stopped(self, consumer: AIOKafkaConsumer) -> None:
        while not self._stopping:
            batches = await consumer.getmany(timeout_ms=500, max_records=POLL_RECORDS)
            for partition, records in batches.items():
                if self._stopping or not await self._apply_partition(consumer, partition, records):
                    return
            await self._observe(consumer)

    async def _apply_partition(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        records: list[ConsumerRecord[bytes, bytes]],
    ) -> bool:
        """Apply one partition's fetched records in order; False when asked to stop first.

        Together in one transaction and one offset commit while they go through; a record
        whose handler fails there is tried on its own (that failure counts as its first
        attempt) after those before it, and the rest go on together. Any other failure of a
        batch (its commit, say, which names no record) sends its records one by one.
        """
        remaining = records
        while remaining:
            if self._stopping:
                return False
            if len(remaining) == 1:
                return await self._apply_alone(consumer, partition, remaining)
            self.progress.applying(partition, remaining[0].offset, consumer.highwater(partition))
            together = await self._apply_together(remaining)
            if isinstance(together, list):
                await self._committed(consumer, partition, remaining, together)
                return len(together) == len(remaining)
            if together is None:
                return await self._apply_alone(consumer, partition, remaining)
            before, failed = remaining[: together.index], remaining[together.index]
            if len(before) > 1:
                again = await self._apply_together(before)
                if not isinstance(again, list) or len(again) < len(before):
                    return await self._apply_alone(consumer, partition, remaining)
                await self._committed(consumer, partition, before, again)
            elif before and not await self._apply_alone(consumer, partition, before):
                return False
            if not await self._apply_alone(consumer, partition, [failed], together.error):
                return False
            remaining = remaining[together.index + 1 :]
        return True

    async def _committed(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        records: list[ConsumerRecord[bytes, bytes]],
        outcomes: list[Outcome],
    ) -> None:
        """Commit the offsets of a batch whose first ``len(outcomes)`` records are applied."""
        last = records[len(outcomes) - 1]
        await consumer.commit({partition: last.offset + 1})
        self.progress.applied(partition, last.offset)
        for record, outcome in zip(records, outcomes, strict=False):
            self._passed(record, outcome)

    async def _apply_alone(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        records: list[ConsumerRecord[bytes, bytes]],
        first_failure: Exception | None = None,
    ) -> bool:
        """Apply records one by one, committing each one's offset; False when asked to stop."""
        for record in records:
            if self._stopping:
                return False
            self.progress.applying(partition, record.offset, consumer.highwater(partition))
            try:
                outcome = await self.process(record, first_failure)
            except Abandoned:
                return False
            first_failure = None
            await consumer.commit({partition: record.offset + 1})
            self.progress.applied(partition, record.offset)
            self._passed(record, outcome)
        return True

    def _passed(self, record: ConsumerRecord[bytes, bytes], outcome: Outcome) -> None:
        if self.replay is not None:
            self.replay.passed(
                (record.topic, record.partition),
                record.offset + 1,
                applied=outcome is Outcome.applied,
            )

    async def _apply_together(
        self, records: list[ConsumerRecord[bytes, bytes]]
    ) -> list[Outcome] | _HandlerFailed | None:
        """Apply records of one partition in one transaction with their inbox rows: the
        outcomes of those applied (all of them, or fewer when asked to stop meanwhile). When
        anything fails nothing is kept: which record's handler failed and how, or None when the
        failure names no record (a record that cannot be decoded, the commit).

        One transaction and one offset commit per poll rather than per record is what lets a
        consumer keep up with a burst. Each event is still handled in its own span, under its
        own id in the audit, and counted in the metrics once committed.
        """
        try:
            work = [self._prepared(record) for record in records]
        except (UndecodableEvent, PoisonEvent):
            return None  # the one-by-one path dead-letters it
        outcomes: list[Outcome] = []
        timings: list[tuple[str, float]] = []
        fresh: list[dict[str, Any]] = []
        try:
            async with self._new_uow() as uow:
                seen = await self._in_inbox_among(
                    uow, [p.envelope.id for p in work if p.handler is not None]
                )
                for record, prepared in zip(records, work, strict=True):
                    if outcomes and self._stopping:
                        break
                    try:
                        outcome = await self._apply_in_batch(uow, record, prepared, seen, timings)
                    except Exception as exc:
                        raise _HandlerFailed(len(outcomes), exc) from exc
                    if outcome is Outcome.applied:
                        fresh.append(self._inbox_row(record, prepared.envelope))
                    outcomes.append(outcome)
                if fresh:
                    await uow.session.exec(insert(self._inbox), params=fresh)
                await uow.commit()
        except _HandlerFailed as failed:
            return failed
        except Exception as exc:  # retried one by one, where failures are told apart
            log.info("records applied one by one", records=len(records), error=repr(exc))
            return None
        for record, outcome in zip(records, outcomes, strict=False):
            self._count(record, _COUNTED[outcome])
        for event_type, seconds in timings:
            self._metrics.handler_duration.labels(event_type).observe(seconds)
        self._outage_delay = 0.0
        return outcomes

    def _prepared(self, record: ConsumerRecord[bytes, bytes]) -> _Prepared:
        envelope = Envelope.from_kafka(record.headers, record.key, record.value)
        handler = self._subscription.handler_for(envelope.type)
        if handler is None:
            return _Prepared(envelope, None, None)
        try:
            return _Prepared(envelope, read_event(envelope.type, envelope.data), handler)
        except ValidationError as exc:
            raise PoisonEvent(str(exc)) from exc

    async def _apply_in_batch(
        self,
        uow: U,
        record: ConsumerRecord[bytes, bytes],
        prepared: _Prepared,
        seen: set[str],
        timings: list[tuple[str, float]],
    ) -> Outcome:
        envelope = prepared.envelope
        if prepared.handler is None:
            return Outcome.not_consumed
        with consume_span(self._tracer, record.topic, envelope):
            if envelope.id in seen:
                log.info("duplicate event skipped", type=envelope.type, id=envelope.id)
                return Outcome.already_applied
            seen.add(envelope.id)  # delivered twice in one poll: applied once
            started = time.perf_counter()
            uow.acting_as(self._actor, envelope.id, envelope)
            await prepared.handler(prepared.event, uow)
            await uow.stage()  # its outbox and audit rows, in its span and under its id
            timings.append((envelope.type, time.perf_counter() - started))
            log.info("event applied", type=envelope.type)
        return Outcome.applied

    def _inbox_row(
        self, record: ConsumerRecord[bytes, bytes], envelope: Envelope
    ) -> dict[str, Any]:
        return {
            "event_id": envelope.id,
            "event_type": envelope.type,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "applied_at": datetime.now(UTC),
        }

    async def _in_inbox_among(self, uow: U, event_ids: list[str]) -> set[str]:
        if not event_ids:
            return set()
        seen = await uow.session.exec(
            select(self._inbox.c.event_id).where(self._inbox.c.event_id.in_(event_ids))
        )
        return set(seen.all())

    async def _observe(self, consumer: AIOKafkaConsumer) -> None:
        """Every fetched record is applied: where each partition stands against its end."""
        assigned = consumer.assignment()
        self.progress.assigned(assigned)
        for partition in assigned:
            highwater = consumer.highwater(partition)
            if highwater is not None:  # fetched once, so the position is known: no wait
                position = await consumer.position(partition)
                self.progress.observed(partition, position, highwater)

    async def process(
        self, record: ConsumerRecord[bytes, bytes], first_failure: Exception | None = None
    ) -> Outcome:
        """Apply one record exactly once in effect, or park it on the dead-letter topic.

        ``first_failure``: how its handler already failed once (in a batch): its first attempt.
        """
        try:
            envelope = Envelope.from_kafka(record.headers, record.key, record.value)
        except UndecodableEvent as exc:
            await self._dead_letter(record, exc, attempts=1, event_type="undecodable")
            return Outcome.dead_lettered
        handler = self._subscription.handler_for(envelope.type)
        if handler is None:
            self._count(record, "ignored")  # a type this service does not consume
            return Outcome.not_consumed
        try:
            with consume_span(self._tracer, record.topic, envelope):
                return await self._apply_with_retries(record, envelope, handler, first_failure)
        finally:
            self.retrying.pop(envelope.id, None)

    async def _apply_with_retries(
        self,
        record: ConsumerRecord[bytes, bytes],
        envelope: Envelope,
        handler: EventHandler[U],
        first_failure: Exception | None = None,
    ) -> Outcome:
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                if first_failure is not None:
                    failure, first_failure = first_failure, None
                    raise failure
                applied = await self._apply(record, envelope, handler)
                self._metrics.handler_duration.labels(envelope.type).observe(
                    time.perf_counter() - started
                )
                self._count(record, "applied" if applied else "duplicate")
                self._outage_delay = 0.0
                return Outcome.applied if applied else Outcome.already_applied
            except PoisonEvent as exc:
                await self._dead_letter(
                    record, exc.__cause__ or exc, attempts=attempt, event_type=envelope.type
                )
                return Outcome.dead_lettered
            except Exception as exc:
                if self._stopping:
                    raise Abandoned(envelope.id) from exc
                if database_unavailable(exc):
                    # Not the event's fault: the record, and the partition behind it, wait
                    # for the database however long it is gone; its attempts are not spent.
                    attempt -= 1
                    await self._wait_for_database(envelope, exc)
                    continue
                if attempt >= self._settings.consumer_max_attempts:
                    await self._dead_letter(record, exc, attempts=attempt, event_type=envelope.type)
                    return Outcome.dead_lettered
                self._metrics.handler_retries.labels(envelope.type).inc()
                self.retrying[envelope.id] = Retrying(
                    envelope.id, envelope.type, attempt, f"{type(exc).__name__}: {exc}"[:500]
                )
                delay = self._settings.consumer_retry_backoff_seconds * 2 ** (attempt - 1)
                log.warning(
                    "event handler failed, retrying",
                    type=envelope.type,
                    id=envelope.id,
                    attempt=attempt,
                    error=repr(exc),
                )
                await asyncio.sleep(delay)

    async def _wait_for_database(self, envelope: Envelope, error: Exception) -> None:
        self._outage_delay = min(
            max(self._outage_delay * 2, self._settings.consumer_retry_backoff_seconds, 0.1),
            DATABASE_OUTAGE_MAX_DELAY,
        )
        log.warning(
            "database unavailable, event waits",
            type=envelope.type,
            id=envelope.id,
            retry_in=self._outage_delay,
            error=repr(error),
        )
        await asyncio.sleep(self._outage_delay)

    async def _apply(
        self,
        record: ConsumerRecord[bytes, bytes],
        envelope: Envelope,
        handler: EventHandler[U],
    ) -> bool:
        """Whether the event was applied now (False: the inbox already held it)."""
        try:
            event = read_event(envelope.type, envelope.data)
        except ValidationError as exc:
            raise PoisonEvent(str(exc)) from exc
        # The service itself applies the event: it is the actor the audit names, and the
        # event's id stands for the request its changes came from.
        async with self._new_uow().acting_as(self._actor, envelope.id, envelope) as uow:
            if await self._in_inbox(uow, envelope.id):
                log.info("duplicate event skipped", type=envelope.type, id=envelope.id)
                return False
            await handler(event, uow)
            try:
                await uow.session.exec(
                    insert(self._inbox).values(**self._inbox_row(record, envelope))
                )
                await uow.commit()
                log.info("event applied", type=envelope.type)
            except IntegrityError:
                await uow.rollback()
                if not await self._applied_elsewhere(envelope.id):
                    raise  # another constraint: the handler's own failure, retried
                # Applied concurrently by a consumer that held this partition before a
                # rebalance: its inbox row is there, so this delivery is a no-op.
                log.info("duplicate event skipped at commit", id=envelope.id)
                return False
        return True

    async def _in_inbox(self, uow: U, event_id: str) -> bool:
        seen = await uow.session.exec(
            select(self._inbox.c.event_id).where(self._inbox.c.event_id == event_id)
        )
        return seen.first() is not None

    async def _applied_elsewhere(self, event_id: str) -> bool:
        """Whether the inbox holds ``event_id``, read in a fresh transaction.

        Asking the database again, rather than reading the error's text, tells a duplicate
        inbox key from any other constraint the same way on SQLite and PostgreSQL.
        """
        async with self._new_uow() as fresh:
            return await self._in_inbox(fresh, event_id)

    def _count(self, record: ConsumerRecord[bytes, bytes], outcome: str) -> None:
        self._metrics.consumer_events.labels(record.topic, outcome).inc()

    async def _dead_letter(
        self,
        record: ConsumerRecord[bytes, bytes],
        error: BaseException,
        attempts: int,
        event_type: str,
    ) -> None:
        mark_failed(f"dead-lettered: {type(error).__name__}")
        await self._dead_letters.send(record, error, attempts)
        self._metrics.dead_lettered.labels(event_type).inc()
        self._count(record, "dead_lettered")
