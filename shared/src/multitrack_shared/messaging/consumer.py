"""The one consumer runtime: idempotent, retrying, with a dead-letter topic.

For each record: decode the CloudEvent; if the current version of its type has a handler,
read its payload as that version (``events.upcasting``: validated against the record's own
version, then upcast), open a unit of work acting as the service itself (``system_principal``,
the event id as request id, for the audit), skip it if the inbox already holds its id,
otherwise run the handler and record the id in the same transaction; then commit the record's
offset.

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

**Stopping.** ``stop_soon()`` lets the record in hand finish and its offset be committed, then
``run()`` returns; fetched records not started stay uncommitted for the partition's next owner.
A record that is retrying or waiting for the database when asked to stop is abandoned
uncommitted rather than dead-lettered: it is delivered again.

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
            batches = await consumer.getmany(timeout_ms=500, max_records=100)
            for partition, records in batches.items():
                for record in records:
                    if self._stopping:
                        return
                    self.progress.applying(partition, record.offset, consumer.highwater(partition))
                    try:
                        outcome = await self.process(record)
                    except Abandoned:
                        return
                    await consumer.commit({partition: record.offset + 1})
                    self.progress.applied(partition, record.offset)
                    if self.replay is not None:
                        self.replay.passed(
                            (record.topic, record.partition),
                            record.offset + 1,
                            applied=outcome is Outcome.applied,
                        )
            await self._observe(consumer)

    async def _observe(self, consumer: AIOKafkaConsumer) -> None:
        """Every fetched record is applied: where each partition stands against its end."""
        assigned = consumer.assignment()
        self.progress.assigned(assigned)
        for partition in assigned:
            highwater = consumer.highwater(partition)
            if highwater is not None:  # fetched once, so the position is known: no wait
                position = await consumer.position(partition)
                self.progress.observed(partition, position, highwater)

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> Outcome:
        """Apply one record exactly once in effect, or park it on the dead-letter topic."""
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
                return await self._apply_with_retries(record, envelope, handler)
        finally:
            self.retrying.pop(envelope.id, None)

    async def _apply_with_retries(
        self,
        record: ConsumerRecord[bytes, bytes],
        envelope: Envelope,
        handler: EventHandler[U],
    ) -> Outcome:
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
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
                    insert(self._inbox).values(
                        event_id=envelope.id,
                        event_type=envelope.type,
                        topic=record.topic,
                        partition=record.partition,
                        offset=record.offset,
                        applied_at=datetime.now(UTC),
                    )
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
