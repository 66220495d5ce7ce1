"""The probe: a service-like database, relay and consumer for the messaging tests.

Its database holds the messaging tables and a few tables the probe handlers write to; every
test gets its own, on SQLite and on PostgreSQL, and its own topic namespace on the real broker.
The probe is no service of the platform: on the closed broker it logs in as the super user.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from pydantic import Field
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from multitrack_shared.db.engine import SessionFactory, create_engine, session_factory
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.messaging.consumer import ConsumerRuntime, EventHandler, Subscription
from multitrack_shared.messaging.kafka import client_security, ensure_topics, new_admin
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.tables import MessagingTables, messaging_tables
from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import SUPER_USER, Broker
from multitrack_shared.testing.polling import eventually
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
claims = Table("claims", metadata, Column("name", String(100), primary_key=True))
"""A unique name per row: a second claim of a name violates its key at once."""
sponsors = Table("sponsors", metadata, Column("id", String(36), primary_key=True))
pledges = Table(
    "pledges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "sponsor_id",
        String(36),
        ForeignKey("sponsors.id", deferrable=True, initially="DEFERRED"),
        nullable=False,
    ),
)
"""A pledge of a missing sponsor violates a deferred key: only at commit."""


class ProbeHappened(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.probe.happened.v1"
    topic: ClassVar[TopicSpec] = PROBES
    key_field: ClassVar[str] = "aggregate_id"

    aggregate_id: str = Field(description="The probe aggregate; the Kafka key.")
    n: int = Field(description="Sequence number within the aggregate.")
    always_fail: bool = Field(default=False, description="Makes the handler fail every time.")
    padding: str = Field(default="", description="Makes the event as large as a test needs.")


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

    async def has_tally(self, aggregate_id: str) -> bool:
        return await self.tally(aggregate_id) is not None


async def probe_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of the kind ``request.param`` names; its async URL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/probe.db"
    postgres: Postgres = request.getfixturevalue("postgres")
    return await postgres.new_database("probe")


@pytest.fixture(params=["sqlite", "postgresql"])
async def probe(
    request: pytest.FixtureRequest, tmp_path: Path, kafka_broker: Broker, topic_namespace: str
) -> AsyncIterator[Probe]:
    url = await probe_database(request, tmp_path)
    settings = ServiceSettings(
        service_name="probe",
        database_url=url,
        **kafka_broker.login(SUPER_USER),
        topic_namespace=topic_namespace,
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
async def running(work: Callable[[], Awaitable[None]]) -> AsyncIterator[None]:
    task: asyncio.Future[None] = asyncio.ensure_future(work())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def read_topic(
    settings: ServiceSettings, topic: TopicSpec, count: int, within: float = 30
) -> list[Any]:
    """Records of ``topic`` from the beginning, until ``count`` arrived or ``within`` passed."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        **client_security(settings),
    )
    await consumer.start()
    try:
        name = topic.qualified(settings.topic_namespace)
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


RawRecord = tuple[bytes | None, bytes, list[tuple[str, bytes]]]


async def produce(settings: ServiceSettings, records: list[RawRecord]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers, **client_security(settings)
    )
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(
                PROBES.qualified(settings.topic_namespace), value=value, key=key, headers=headers
            )
    finally:
        await producer.stop()


def as_record(envelope: Envelope) -> RawRecord:
    message = envelope.to_kafka()
    return envelope.key.encode(), message.value, list(message.headers.items())


def consumer_of(
    probe: Probe, handler: EventHandler[UnitOfWork] = count_probe
) -> ConsumerRuntime[UnitOfWork]:
    return ConsumerRuntime(
        probe.settings, Subscription(handlers={ProbeHappened: handler}), probe.uow, probe.tables
    )


async def topic_configs(settings: ServiceSettings, topic: TopicSpec) -> dict[str, str]:
    """The configuration the broker reports for ``topic``, every entry."""
    admin = new_admin(settings)
    await admin.start()
    try:
        described = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic.qualified(settings.topic_namespace))]
        )
    finally:
        await admin.close()
    entries = described[0].resources[0][4]
    return {entry[0]: entry[1] for entry in entries}


async def set_topic_configs(
    settings: ServiceSettings, topic: TopicSpec, configs: dict[str, str]
) -> None:
    """Alter ``topic``'s configuration and wait until the broker reports it."""
    admin = new_admin(settings)
    await admin.start()
    try:
        await admin.alter_configs(
            [
                ConfigResource(
                    ConfigResourceType.TOPIC,
                    topic.qualified(settings.topic_namespace),
                    configs=configs,
                )
            ]
        )
    finally:
        await admin.close()

    async def applied() -> bool:
        current = await topic_configs(settings, topic)
        return all(current.get(name) == value for name, value in configs.items())

    await eventually(applied, within=30, what=f"topic configuration {configs}")
