"""The outbox relay and the consumer runtime, against a real broker and real databases."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat
from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from multitrack_shared.db.engine import SessionFactory, create_engine, session_factory
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.kafka import ensure_topics
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.tables import MessagingTables, messaging_tables
from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.postgres import Postgres

PROBES = TopicSpec("multitrack.probes.v1", 3, "Probe events of the messaging tests.")

metadata = MetaData()
tables = messaging_tables(metadata)
tallies = Table(
    "tallies",
    metadata,
    Column("aggregate_id", String(36), primary_key=True),
    Column("applied", Integer, nullable=False),
)


class ProbeHappened(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.probe.happened.v1"
    topic: ClassVar[TopicSpec] = PROBES
    key_field: ClassVar[str] = "aggregate_id"

    aggregate_id: str = Field(description="The probe aggregate; the Kafka key.")
    n: int = Field(description="Sequence number within the aggregate.")
    always_fail: bool = Field(default=False, description="Makes the handler fail every time.")


async def count_probe(event: ProbeHappened, uow: UnitOfWork) -> None:
    if event.always_fail:
        raise RuntimeError("this handler always fails")
    updated = await uow.session.exec(
        update(tallies)
        .where(tallies.c.aggregate_id == event.aggregate_id)
        .values(applied=tallies.c.applied + 1)
    )
    if updated.rowcount == 0:
        await uow.session.exec(insert(tallies).values(aggregate_id=event.aggregate_id, applied=1))


@dataclass
class Probe:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: SessionFactory
    tables: MessagingTables
    relay: OutboxRelay

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.sessions, Outbox(self.tables, self.settings.event_source), self.relay.wake
        )

    async def tally(self, aggregate_id: str) -> int | None:
        async with self.sessions() as s:
            row = (
                await s.exec(
                    select(tallies.c.applied).where(tallies.c.aggregate_id == aggregate_id)
                )
            ).first()
        return None if row is None else int(row)


@pytest.fixture(params=["sqlite", "postgresql"])
async def probe(
    request: pytest.FixtureRequest, tmp_path: Path, kafka_broker: Broker, topic_prefix: str
) -> AsyncIterator[Probe]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/probe.db"
    else:
        postgres: Postgres = request.getfixturevalue("postgres")
        url = await postgres.new_database("probe")
    settings = ServiceSettings(
        service_name="probe",
        database_url=url,
        kafka_bootstrap_servers=kafka_broker.bootstrap,
        topic_prefix=topic_prefix,
        relay_poll_seconds=60,  # long: anything that arrives quickly was woken, not polled
        consumer_max_attempts=3,
        consumer_retry_backoff_seconds=0.05,
    )
    await ensure_topics(settings, [PROBES, dead_letter_topic("probe")])
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    sessions = session_factory(engine)
    yield Probe(settings, engine, sessions, tables, OutboxRelay(settings, engine, tables))
    await engine.dispose()


@contextlib.asynccontextmanager
async def running(work: Callable[[], Coroutine[Any, Any, None]]) -> AsyncIterator[None]:
    task = asyncio.create_task(work())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def read_topic(
    settings: ServiceSettings, topic: TopicSpec, count: int, within: float = 30
) -> list[Any]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False
    )
    await consumer.start()
    try:
        name = topic.qualified(settings.topic_prefix)
        partitions = [TopicPartition(name, p) for p in range(topic.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[Any] = []
        deadline = asyncio.get_running_loop().time() + within
        while len(records) < count and asyncio.get_running_loop().time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


async def test_committed_events_reach_the_broker_as_cloudevents_in_order_per_key(
    probe: Probe,
) -> None:
    aggregates = [str(uuid.uuid4()) for _ in range(3)]
    async with running(probe.relay.run):
        for n in range(5):
            for aggregate in aggregates:
                async with probe.uow() as uow:
                    uow.publish(ProbeHappened(aggregate_id=aggregate, n=n))
                    await uow.commit()
        records = await read_topic(probe.settings, PROBES, 15, within=20)
        # Marked sent once the broker acknowledged them, which may trail our read a little.
        await eventually(lambda: _all_marked_sent(probe))

    assert len(records) == 15
    seen: dict[str, list[int]] = {}
    for record in records:
        event = from_binary(
            KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value),
            JSONFormat(),
        )
        assert event.get_specversion() == "1.0"
        assert event.get_type() == "multitrack.probe.happened.v1"
        assert event.get_source() == "/multitrack/probe"
        assert event.get_subject() == record.key.decode()
        data = event.get_data()
        assert isinstance(data, dict)
        assert data["aggregate_id"] == record.key.decode()
        seen.setdefault(record.key.decode(), []).append(data["n"])
    assert seen == {a: [0, 1, 2, 3, 4] for a in aggregates}


async def test_a_rolled_back_unit_of_work_publishes_nothing(probe: Probe) -> None:
    async with probe.uow() as uow:
        uow.publish(ProbeHappened(aggregate_id="gone", n=1))
        await uow.rollback()
    async with probe.sessions() as s:
        assert (await s.exec(select(func.count()).select_from(probe.tables.outbox))).one() == 0


async def test_rows_nobody_woke_the_relay_for_are_sent_by_the_polling_fallback(
    probe: Probe,
) -> None:
    settings = probe.settings.model_copy(update={"relay_poll_seconds": 0.3})
    relay = OutboxRelay(settings, probe.engine, probe.tables)
    # Rows written as if the process had crashed between its commit and the wake-up.
    async with probe.sessions() as s:
        await Outbox(probe.tables, settings.event_source).write(
            s, [ProbeHappened(aggregate_id="left-behind", n=n) for n in range(3)]
        )
        await s.commit()
    async with running(relay.run):
        records = await read_topic(settings, PROBES, 3)
    assert [r.key for r in records] == [b"left-behind"] * 3


async def produce(
    settings: ServiceSettings, records: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(
                PROBES.qualified(settings.topic_prefix), value=value, key=key, headers=headers
            )
    finally:
        await producer.stop()


def as_record(envelope: Envelope) -> tuple[bytes | None, bytes, list[tuple[str, bytes]]]:
    message = envelope.to_kafka()
    return envelope.key.encode(), message.value, list(message.headers.items())


def consumer_of(probe: Probe) -> ConsumerRuntime[UnitOfWork]:
    return ConsumerRuntime(
        probe.settings, Subscription(handlers={ProbeHappened: count_probe}), probe.uow, probe.tables
    )


async def test_an_event_delivered_twice_takes_effect_once(probe: Probe) -> None:
    once = Envelope.wrap(ProbeHappened(aggregate_id="twice", n=1), "/test")
    marker = Envelope.wrap(ProbeHappened(aggregate_id="twice-done", n=2), "/test")
    # The marker shares the key, so the same partition: it is consumed after both copies.
    await produce(
        probe.settings, [as_record(once), as_record(once), (b"twice", *as_record(marker)[1:])]
    )

    async with running(consumer_of(probe).run):
        await eventually(lambda: _has_tally(probe, "twice-done"))

    assert await probe.tally("twice") == 1
    async with probe.sessions() as s:
        inbox = await s.exec(select(func.count()).where(probe.tables.inbox.c.event_id == once.id))
        assert inbox.one() == 1


async def test_poison_and_failing_events_go_to_the_dead_letter_topic_and_consumption_goes_on(
    probe: Probe,
) -> None:
    failing = Envelope.wrap(ProbeHappened(aggregate_id="fails", n=1, always_fail=True), "/test")
    good = Envelope.wrap(ProbeHappened(aggregate_id="after", n=2), "/test")
    invalid = Envelope.wrap(ProbeHappened(aggregate_id="invalid", n=3), "/test")
    invalid_record = as_record(invalid)
    garbage: tuple[bytes | None, bytes, list[tuple[str, bytes]]] = (
        b"after",
        b"\x00not a cloudevent",
        [],
    )
    # Same key as the good event: same partition, so it is consumed after both bad ones.
    await produce(
        probe.settings,
        [
            garbage,
            (b"after", *as_record(failing)[1:]),
            (
                invalid_record[0],
                b'{"aggregate_id": "invalid", "n": "not a number"}',
                invalid_record[2],
            ),
            (b"after", *as_record(good)[1:]),
        ],
    )

    async with running(consumer_of(probe).run):
        await eventually(lambda: _has_tally(probe, "after"))
        dead = await read_topic(probe.settings, dead_letter_topic("probe"), 3)

    assert await probe.tally("fails") is None
    assert await probe.tally("invalid") is None
    assert await probe.tally("after") == 1
    assert len(dead) == 3
    by_reason = {dict(r.headers)["dlq-error-type"].decode(): dict(r.headers) for r in dead}
    assert set(by_reason) == {"UndecodableEvent", "RuntimeError", "ValidationError"}
    failed = by_reason["RuntimeError"]
    assert b"always fails" in failed["dlq-error"]
    assert failed["dlq-attempts"] == b"3"
    assert failed["dlq-origin-topic"] == PROBES.qualified(probe.settings.topic_prefix).encode()
    assert failed["ce_id"] == failing.id.encode()
    assert by_reason["UndecodableEvent"]["dlq-attempts"] == b"1"


async def _has_tally(probe: Probe, aggregate_id: str) -> bool:
    return await probe.tally(aggregate_id) is not None


async def _all_marked_sent(probe: Probe) -> bool:
    async with probe.sessions() as s:
        unsent = await s.exec(select(func.count()).where(probe.tables.outbox.c.sent_at.is_(None)))
        return unsent.one() == 0


@pytest.mark.parametrize("probe", ["postgresql"], indirect=True)
async def test_two_relays_on_one_database_send_each_event_once_and_in_order(probe: Probe) -> None:
    keys = [f"replica-{k}" for k in range(4)]
    async with probe.sessions() as s:
        await Outbox(probe.tables, probe.settings.event_source).write(
            s, [ProbeHappened(aggregate_id=key, n=n) for n in range(10) for key in keys]
        )
        await s.commit()
    first = OutboxRelay(probe.settings, probe.engine, probe.tables)
    second = OutboxRelay(probe.settings, probe.engine, probe.tables)
    first.wake()
    second.wake()

    async with running(first.run), running(second.run):
        # Ask for more than were written: a duplicate would show up as a 41st record.
        records = await read_topic(probe.settings, PROBES, 41, within=8)

    assert len(records) == 40
    by_key: dict[str, list[int]] = {}
    for record in records:
        by_key.setdefault(record.key.decode(), []).append(json.loads(record.value)["n"])
    assert by_key == {key: list(range(10)) for key in keys}
