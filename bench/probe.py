"""A service-like database for the measurements that need no service: the messaging tables,
one domain table and one read model, an event of its own, and the platform's outbox, relay,
unit of work and consumer runtime on top (as ``shared/tests`` probe them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.db.engine import SessionFactory, create_engine, session_factory
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.kafka import ensure_topics
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.tables import messaging_tables
from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic
from multitrack_shared.settings import ServiceSettings

NOTES = TopicSpec("bench.notes.v1", 6, "Events of the benchmark's probe.")

metadata = MetaData()
tables = messaging_tables(metadata)
notes = Table(
    "notes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("text", String(500), nullable=False),
)
"""The domain table: one row written beside each outbox row."""
tallies = Table(
    "tallies",
    metadata,
    Column("note_id", String(36), primary_key=True),
    Column("applied", Integer, nullable=False),
)
"""The read model the consumer fills: one row per note event."""


class NoteTaken(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.bench.note-taken.v1"
    topic: ClassVar[TopicSpec] = NOTES
    key_field: ClassVar[str] = "note_id"

    note_id: str = Field(description="The note; the Kafka key.")
    text: str = Field(description="About as long as a platform event's data.")


async def count_note(event: NoteTaken, uow: UnitOfWork) -> None:
    """An upsert into the read model, as a projection does."""
    updated = await uow.session.exec(
        update(tallies)
        .where(tallies.c.note_id == event.note_id)
        .values(applied=tallies.c.applied + 1)
    )
    if updated.rowcount == 0:
        await uow.session.exec(insert(tallies).values(note_id=event.note_id, applied=1))


@dataclass
class Probe:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: SessionFactory

    @property
    def outbox(self) -> Outbox:
        return Outbox(tables, self.settings.event_source)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.settings, self.engine, tables)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox, lambda: None)

    def consumer(self) -> ConsumerRuntime[UnitOfWork]:
        return ConsumerRuntime(
            self.settings, Subscription(handlers={NoteTaken: count_note}), self.uow, tables
        )

    async def applied(self) -> int:
        async with self.engine.connect() as connection:
            return int(
                (await connection.execute(select(func.count()).select_from(tallies))).one()[0]
            )

    async def unsent(self) -> int:
        async with self.engine.connect() as connection:
            found = await connection.execute(
                select(func.count())
                .select_from(tables.outbox)
                .where(tables.outbox.c.sent_at.is_(None))
            )
            return int(found.one()[0])

    async def close(self) -> None:
        await self.engine.dispose()


async def new_probe(settings: ServiceSettings) -> Probe:
    await ensure_topics(settings, [NOTES, dead_letter_topic(settings.service_name)])
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return Probe(settings, engine, session_factory(engine))


def note_text(n: int) -> str:
    """About 400 characters, as an invitation's event carries."""
    return (f"note {n}: dialogue facilitation between land claimants and returning families; " * 5)[
        :400
    ]
