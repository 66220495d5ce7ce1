"""The database limit (a domain INSERT and an outbox INSERT in one transaction, no HTTP), and
the platform's relay and consumer runtime on the probe: a pre-filled backlog drained, a
pre-filled topic applied through the inbox."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import insert

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.kafka import client_security
from multitrack_shared.settings import ServiceSettings

from .probe import NOTES, NoteTaken, Probe, new_probe, note_text, notes

WRITERS = 16
"""Concurrent writers: as many as the HTTP load generator's connections."""

NewProbe = Callable[[], Awaitable[Probe]]


def probe_factory(settings_of: Callable[[], ServiceSettings]) -> NewProbe:
    async def make() -> Probe:
        return await new_probe(settings_of())

    return make


async def insert_with_outbox(probe: Probe, duration: float) -> float:
    """Transactions/s, each a domain row and its event's outbox row, by ``WRITERS`` writers."""
    done = 0
    deadline = time.monotonic() + duration

    async def writer() -> None:
        nonlocal done
        while time.monotonic() < deadline:
            note_id = str(uuid.uuid4())
            async with probe.sessions() as session:
                await session.exec(insert(notes).values(id=note_id, text=note_text(done)))
                await probe.outbox.write(
                    session, [NoteTaken(note_id=note_id, text=note_text(done))]
                )
                await session.commit()
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(writer() for _ in range(WRITERS)))
    return done / (time.monotonic() - started)


async def fill_outbox(probe: Probe, rows: int, chunk: int = 500) -> None:
    written = 0
    while written < rows:
        size = min(chunk, rows - written)
        events = [NoteTaken(note_id=str(uuid.uuid4()), text=note_text(n)) for n in range(size)]
        async with probe.sessions() as session:
            await probe.outbox.write(session, events)
            await session.commit()
        written += size


async def relay_drain(probe: Probe, backlog: int, duration: float) -> float:
    """Events/s of the relay sending a pre-filled backlog of ``backlog`` outbox rows, from its
    wake-up until nothing is unsent or ``duration`` has passed (what it sent by then)."""
    await fill_outbox(probe, backlog)
    waiting = await probe.unsent()  # with what an earlier repetition left
    relay = probe.relay()
    task = asyncio.ensure_future(relay.run())
    try:
        started = time.monotonic()
        relay.wake()
        while True:
            unsent = await probe.unsent()
            if not unsent or time.monotonic() - started >= duration:
                break
            await asyncio.sleep(0.02)
        return (waiting - unsent) / (time.monotonic() - started)
    finally:
        # Not stop_soon(): a relay asked to stop sends the whole backlog first.
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def fill_topic(settings: ServiceSettings, count: int) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=True,
        acks="all",
        **client_security(settings),
    )
    await producer.start()
    topic = NOTES.qualified(settings.topic_namespace)
    try:
        for start in range(0, count, 1000):
            futures = []
            for n in range(start, min(start + 1000, count)):
                envelope = Envelope.wrap(
                    NoteTaken(note_id=str(uuid.uuid4()), text=note_text(n)), "/multitrack/bench"
                )
                message = envelope.to_kafka()
                futures.append(
                    await producer.send(
                        topic,
                        key=envelope.key.encode(),
                        value=message.value,
                        headers=list(message.headers.items()),
                    )
                )
            await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def consumer_apply(probe: Probe, backlog: int, duration: float) -> float:
    """Events/s the consumer runtime applies (inbox, handler, offset) from a pre-filled topic,
    from the first event applied (the group's join left out) until the last, or until
    ``duration`` has passed."""
    await fill_topic(probe.settings, backlog)
    runtime = probe.consumer()
    task = asyncio.ensure_future(runtime.run())
    try:
        first_at, first_count = None, 0
        deadline = time.monotonic() + 120  # for the first event
        while True:
            count = await probe.applied()
            now = time.monotonic()
            if first_at is None and count > 0:
                first_at, first_count = now, count
                deadline = now + duration
            if count >= backlog or now > deadline:
                break
            await asyncio.sleep(0.05)
        if first_at is None:
            raise TimeoutError("the consumer applied nothing in 120 s")
        return (count - first_count) / max(time.monotonic() - first_at, 1e-3)
    finally:
        runtime.stop_soon()
        try:
            await asyncio.wait_for(task, 30)
        except TimeoutError:
            task.cancel()
