"""The one consumer runtime: idempotent, retrying, with a dead-letter topic.

For each record: decode the CloudEvent; if its type has a handler, open a unit of work acting
as the service itself (``system_principal``, the event id as request id, for the audit), skip
it if the inbox already holds its id, otherwise run the handler and record the id in the
same transaction; then commit the record's offset.

Only the inbox decides what was already applied. When recording the id or committing fails
on a constraint, the inbox is read again in a fresh transaction: if it now holds the id, a
consumer that owned the partition before a rebalance applied the event and this delivery is
skipped; any other error, the handler's own constraint violations included, is a failure.

A failure is retried with exponential back-off (``consumer_retry_backoff_seconds``, doubled
each time). A record that still fails after ``consumer_max_attempts`` tries, and any record
that cannot be decoded or validated, goes to the service's dead-letter topic with the error
and its origin in the headers, and consumption goes on with the next record: nothing is
skipped in silence.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRebalanceListener,
    ConsumerRecord,
    TopicPartition,
)
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from multitrack_shared.auth.principal import system_principal
from multitrack_shared.db.errors import database_unavailable
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope, IntegrationEvent, UndecodableEvent
from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.kafka import close_quietly, new_consumer, new_producer
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)

DATABASE_OUTAGE_MAX_DELAY = 5.0
"""Longest pause between two tries of an event while the database is unreachable."""

U = TypeVar("U", bound=UnitOfWork)
E = TypeVar("E", bound=IntegrationEvent)

EventHandler = Callable[[Any, U], Awaitable[None]]
"""``async def on_something(event, uow)``: apply one event; the runtime commits."""


@dataclass(frozen=True)
class Subscription(Generic[U]):
    """What a service consumes: event class → handler."""

    handlers: Mapping[type[IntegrationEvent], EventHandler[U]]

    @property
    def topics(self) -> tuple[TopicSpec, ...]:
        return consumed_topics(self.handlers)

    def handler_for(self, event_type: str) -> tuple[type[IntegrationEvent], EventHandler[U]] | None:
        for event, handler in self.handlers.items():
            if event.event_type == event_type:
                return event, handler
        return None


def consumed_topics(handlers: Iterable[type[IntegrationEvent]]) -> tuple[TopicSpec, ...]:
    """The topics a service reads: those of the events it has handlers for, each once."""
    return tuple(dict.fromkeys(event.topic for event in handlers))


class PoisonEvent(Exception):
    """Retrying cannot help: the record is undecodable or its payload fails validation."""


class ConsumerRuntime(Generic[U]):
    def __init__(
        self,
        settings: ServiceSettings,
        subscription: Subscription[U],
        new_uow: Callable[[], U],
        tables: MessagingTables,
    ) -> None:
        self._settings = settings
        self._subscription = subscription
        self._new_uow = new_uow
        self._inbox = tables.inbox
        self._actor = system_principal(settings.service_name)
        self._dead_letters = dead_letter_topic(settings.service_name).qualified(
            settings.topic_namespace
        )
        self._dead_letter_producer: AIOKafkaProducer | None = None
        self._outage_delay = 0.0
        self.replay_from_beginning = False
        """Set when read models were rebuilt: the next assignment starts at offset zero."""

    async def run(self) -> None:
        try:
            while True:
                consumer = new_consumer(self._settings)
                try:
                    await consumer.start()
                    consumer.subscribe(
                        topics=[
                            t.qualified(self._settings.topic_namespace)
                            for t in self._subscription.topics
                        ],
                        listener=_ReplayOnAssignment(self, consumer),
                    )
                    await self._consume(consumer)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # broker gone at start or mid-stream: reconnect
                    log.warning("consumer restarts", error=repr(exc))
                    await self._drop_dead_letter_producer()
                    await asyncio.sleep(1.0)
                finally:
                    await close_quietly(consumer)
        finally:
            await self._drop_dead_letter_producer()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=100)
            for partition, records in batches.items():
                for record in records:
                    await self.process(record)
                    await consumer.commit({partition: record.offset + 1})

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        """Apply one record exactly once in effect, or park it on the dead-letter topic."""
        try:
            envelope = Envelope.from_kafka(record.headers, record.key, record.value)
        except UndecodableEvent as exc:
            await self._dead_letter(record, exc, attempts=1)
            return
        found = self._subscription.handler_for(envelope.type)
        if found is None:
            return  # a type this service does not consume
        event_class, handler = found
        attempt = 0
        while True:
            attempt += 1
            try:
                await self._apply(record, envelope, event_class, handler)
                self._outage_delay = 0.0
                return
            except PoisonEvent as exc:
                await self._dead_letter(record, exc.__cause__ or exc, attempts=attempt)
                return
            except Exception as exc:
                if database_unavailable(exc):
                    # Not the event's fault: the record, and the partition behind it, wait
                    # for the database however long it is gone; its attempts are not spent.
                    attempt -= 1
                    await self._wait_for_database(envelope, exc)
                    continue
                if attempt >= self._settings.consumer_max_attempts:
                    await self._dead_letter(record, exc, attempts=attempt)
                    return
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
        event_class: type[IntegrationEvent],
        handler: EventHandler[U],
    ) -> None:
        try:
            event = event_class.model_validate(envelope.data)
        except ValidationError as exc:
            raise PoisonEvent(str(exc)) from exc
        # The service itself applies the event: it is the actor the audit names, and the
        # event's id stands for the request its changes came from.
        async with self._new_uow().acting_as(self._actor, envelope.id, envelope) as uow:
            if await self._in_inbox(uow, envelope.id):
                log.info("duplicate event skipped", type=envelope.type, id=envelope.id)
                return
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
            except IntegrityError:
                await uow.rollback()
                if not await self._applied_elsewhere(envelope.id):
                    raise  # another constraint: the handler's own failure, retried
                # Applied concurrently by a consumer that held this partition before a
                # rebalance: its inbox row is there, so this delivery is a no-op.
                log.info("duplicate event skipped at commit", id=envelope.id)

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

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], error: BaseException, attempts: int
    ) -> None:
        headers = [
            *(record.headers or ()),
            ("dlq-error", _ascii(f"{type(error).__name__}: {error}")[:2000]),
            ("dlq-error-type", type(error).__name__.encode()),
            ("dlq-attempts", str(attempts).encode()),
            ("dlq-origin-topic", record.topic.encode()),
            ("dlq-origin-partition", str(record.partition).encode()),
            ("dlq-origin-offset", str(record.offset).encode()),
            ("dlq-consumer-group", self._settings.consumer_group.encode()),
            ("dlq-failed-at", datetime.now(UTC).isoformat().encode()),
        ]
        log.error(
            "event dead-lettered", topic=record.topic, offset=record.offset, error=repr(error)
        )
        if self._dead_letter_producer is None:
            producer = new_producer(self._settings)
            await producer.start()
            self._dead_letter_producer = producer
        await self._dead_letter_producer.send_and_wait(
            self._dead_letters, value=record.value, key=record.key, headers=headers
        )

    async def _drop_dead_letter_producer(self) -> None:
        producer, self._dead_letter_producer = self._dead_letter_producer, None
        if producer is not None:
            await close_quietly(producer)


def _ascii(text: str) -> bytes:
    return text.encode("utf-8", errors="replace")


class _ReplayOnAssignment(ConsumerRebalanceListener):  # type: ignore[misc]
    """Seeks to the beginning of every assigned partition once, after a read-model rebuild."""

    def __init__(self, runtime: ConsumerRuntime[Any], consumer: AIOKafkaConsumer) -> None:
        self._runtime = runtime
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        if self._runtime.replay_from_beginning and assigned:
            await self._consumer.seek_to_beginning(*assigned)
            self._runtime.replay_from_beginning = False
            log.info("replaying from the beginning", partitions=len(assigned))
