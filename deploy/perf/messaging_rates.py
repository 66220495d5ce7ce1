"""Quick before/after figures of the messaging path, without HTTP: how fast the relay drains a
pre-filled outbox, and how fast a consumer applies those events through the inbox, on SQLite
and on PostgreSQL, against a real broker (``KAFKA_BOOTSTRAP_SERVERS``, else one started by
``deploy/kafka/broker.sh``) and ``MULTITRACK_PG_URL`` (else ``deploy/postgres/pg.sh``).

    uv run --frozen python deploy/perf/messaging_rates.py [--events 5000] [--db sqlite postgresql]

The full benchmark with its limits beside each figure is ``make bench``; this is the short
loop used while making the relay and the consumer fast (``docs/performance.md``).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from typing import ClassVar

from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update

from multitrack_shared.db.engine import create_engine, session_factory
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.kafka import ensure_topics
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.tables import messaging_tables
from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import SUPER_USER, provide_broker
from multitrack_shared.testing.postgres import provide_postgres

TICKS = TopicSpec("multitrack.perf-ticks.v1", 3, "Events of the messaging figures.")
metadata = MetaData()
tables = messaging_tables(metadata)
tallies = Table(
    "tallies",
    metadata,
    Column("aggregate_id", String(36), primary_key=True),
    Column("applied", Integer, nullable=False),
)


class Ticked(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.perf.ticked.v1"
    topic: ClassVar[TopicSpec] = TICKS
    key_field: ClassVar[str] = "aggregate_id"

    aggregate_id: str = Field(description="The aggregate; the Kafka key.")
    n: int = Field(description="Sequence number.")


async def count_tick(event: Ticked, uow: UnitOfWork) -> None:
    """A read-model upsert, like the services' projections."""
    updated = await uow.session.exec(  # type: ignore[call-overload]
        update(tallies)
        .where(tallies.c.aggregate_id == event.aggregate_id)
        .values(applied=tallies.c.applied + 1)
    )
    if updated.rowcount == 0:
        await uow.session.exec(  # type: ignore[call-overload]
            insert(tallies).values(aggregate_id=event.aggregate_id, applied=1)
        )


async def measure(url: str, login: dict[str, object], events: int) -> tuple[float, float]:
    namespace = f"perf{uuid.uuid4().hex[:8]}"
    settings = ServiceSettings(
        service_name="probe",
        database_url=url,
        topic_namespace=namespace,
        relay_poll_seconds=60,
        **login,  # type: ignore[arg-type]
    )
    await ensure_topics(settings, [TICKS, dead_letter_topic("probe")])
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    sessions = session_factory(engine)
    relay = OutboxRelay(settings, engine, tables)

    def new_uow() -> UnitOfWork:
        return UnitOfWork(sessions, Outbox(tables, settings.event_source), lambda: None)

    for start in range(0, events, 500):
        async with new_uow() as uow:
            for n in range(start, min(start + 500, events)):
                uow.publish(Ticked(aggregate_id=f"a{n % 200}", n=n))
            await uow.commit()

    started = time.perf_counter()
    relaying = asyncio.create_task(relay.run())
    relay.wake()
    unsent = select(func.count()).where(tables.outbox.c.sent_at.is_(None))
    while True:
        await asyncio.sleep(0.02)
        async with engine.connect() as connection:
            if await connection.scalar(unsent) == 0:
                break
    relay_rate = events / (time.perf_counter() - started)
    relay.stop_soon()
    await relaying

    consumer = ConsumerRuntime(settings, Subscription({Ticked: count_tick}), new_uow, tables)
    task = asyncio.create_task(consumer.run())
    first: float | None = None  # timed from the first event applied: not the group's join
    while True:
        await asyncio.sleep(0.02)
        async with engine.connect() as connection:
            applied = await connection.scalar(select(func.count()).select_from(tables.inbox))
        if applied and first is None:
            first, already = time.perf_counter(), applied
        if applied >= events:
            break
        if task.done():
            task.result()
    assert first is not None
    consume_rate = (events - already) / (time.perf_counter() - first)
    consumer.stop_soon()
    await task
    await engine.dispose()
    return relay_rate, consume_rate


async def main(events: int, databases: list[str]) -> None:
    with provide_broker() as broker, tempfile.TemporaryDirectory() as tmp:
        login = broker.login(SUPER_USER)
        for database in databases:
            if database == "sqlite":
                url = f"sqlite+aiosqlite:///{tmp}/perf.db"
            else:
                url = await provide_postgres().new_database("perf")
            relay_rate, consume_rate = await measure(url, login, events)
            print(
                f"{database:10} relay drain {relay_rate:8.0f} events/s   "
                f"consumer apply {consume_rate:8.0f} events/s   ({events} events)",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.db))
