"""A consumer's lag and stalls, and stopping cleanly, against a real broker: a blocked handler
turns the consumer degraded and recovers once it runs again; asked to stop, the consumer
finishes the event in hand and commits its offset, and the relay sends what waits."""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import TopicPartition
from sqlalchemy import func
from sqlmodel import select

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.kafka import new_consumer
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.observability.progress import ConsumerState, PartitionProgress
from multitrack_shared.testing.polling import eventually

from .conftest import (
    PROBES,
    Probe,
    ProbeHappened,
    as_record,
    consumer_of,
    count_probe,
    produce,
    read_topic,
    running,
)


class Gate:
    """A handler that waits at the gate for the events of one aggregate."""

    def __init__(self, aggregate_id: str) -> None:
        self.aggregate_id = aggregate_id
        self.open = asyncio.Event()
        self.reached = asyncio.Event()

    async def handle(self, event: ProbeHappened, uow: UnitOfWork) -> None:
        if event.aggregate_id == self.aggregate_id:
            self.reached.set()
            await self.open.wait()
        await count_probe(event, uow)


def events_of(aggregate_id: str, count: int) -> list[Envelope]:
    return [
        Envelope.wrap(ProbeHappened(aggregate_id=aggregate_id, n=n), "/test") for n in range(count)
    ]


async def test_a_blocked_handler_turns_the_consumer_degraded_until_it_runs_again(
    probe: Probe,
) -> None:
    probe.settings = probe.settings.model_copy(update={"consumer_stall_seconds": 1.0})
    gate = Gate("blocked")
    consumer = consumer_of(probe, gate.handle)
    metrics = ServiceMetrics("probe")
    metrics.registry.register(consumer.progress)
    await produce(probe.settings, [as_record(e) for e in events_of("warm-up", 1)])

    async with running(consumer.run):
        await eventually(lambda: probe.has_tally("warm-up"), what="the warm-up applied")
        assert consumer.progress.state == "ok"
        await produce(probe.settings, [as_record(e) for e in events_of("blocked", 3)])
        await asyncio.wait_for(gate.reached.wait(), 30)

        async def stalled_with_all_three() -> list[PartitionProgress] | None:
            await consumer.refresh_ends()  # as the service's health monitor does
            stalled = [p for p in consumer.progress.partitions() if p.stalled]
            return stalled if [p.lag for p in stalled] == [3] else None

        # The broker tells where the partition ends: the lag counts all three.
        (stalled,) = await eventually(stalled_with_all_three, within=15, what="a stall")
        assert consumer.progress.state is ConsumerState.degraded
        assert stalled.seconds_since_progress > 1.0
        exported = metrics.render().decode()
        assert 'multitrack_consumer_degraded{service="probe"} 1.0' in exported
        assert (
            f'multitrack_consumer_lag{{partition="{stalled.partition}",service="probe",'
            f'topic="{stalled.topic}"}} 3.0'
        ) in exported

        gate.open.set()

        async def recovered() -> bool:
            caught_up = all(p.lag == 0 for p in consumer.progress.partitions())
            return caught_up and consumer.progress.state is ConsumerState.ok

        await eventually(recovered, within=15, what="the consumer caught up")
    assert await probe.tally("blocked") == 3


async def test_asked_to_stop_the_consumer_finishes_the_event_in_hand_and_commits_its_offset(
    probe: Probe,
) -> None:
    gate = Gate("in-hand")
    consumer = consumer_of(probe, gate.handle)
    sent = events_of("in-hand", 4)  # one key, one partition, in order
    await produce(probe.settings, [as_record(e) for e in sent])
    running_consumer = asyncio.ensure_future(consumer.run())
    try:
        await asyncio.wait_for(gate.reached.wait(), 30)
        consumer.stop_soon()
        await asyncio.sleep(0.3)
        assert not running_consumer.done()  # it waits for the event in hand
        gate.open.set()
        await asyncio.wait_for(running_consumer, 15)
    finally:
        running_consumer.cancel()

    assert await probe.tally("in-hand") == 1
    partition = TopicPartition(PROBES.qualified(probe.settings.topic_namespace), 0)
    committed = await committed_offsets(probe, partition.topic)
    (offset,) = [o for tp, o in committed.items() if o]
    assert offset == (await first_offset_of(probe, sent[0].id)) + 1

    # The events not started are the next run's, each applied once.
    gate.open.set()
    async with running(consumer_of(probe, gate.handle).run):
        await eventually(lambda: tally_is(probe, "in-hand", 4), what="the rest applied")
    async with probe.sessions() as s:
        inbox = await s.exec(select(func.count()).select_from(probe.tables.inbox))
        assert inbox.one() == 4


async def tally_is(probe: Probe, aggregate_id: str, expected: int) -> bool:
    return await probe.tally(aggregate_id) == expected


async def committed_offsets(probe: Probe, topic: str) -> dict[TopicPartition, int | None]:
    consumer = new_consumer(probe.settings)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PROBES.partitions)]
        return {tp: await consumer.committed(tp) for tp in partitions}
    finally:
        await consumer.stop()


async def first_offset_of(probe: Probe, event_id: str) -> int:
    async with probe.sessions() as s:
        offset = await s.exec(
            select(probe.tables.inbox.c.offset).where(probe.tables.inbox.c.event_id == event_id)
        )
        return int(offset.one())


async def test_asked_to_stop_the_relay_sends_what_waits_once_and_returns(probe: Probe) -> None:
    relay = OutboxRelay(probe.settings, probe.engine, probe.tables)  # polls once a minute
    keys = [str(uuid.uuid4()) for _ in range(3)]
    running_relay = asyncio.ensure_future(relay.run())
    try:
        await asyncio.sleep(0.2)  # resting, until a wake-up or the poll
        async with probe.sessions() as s:  # committed as if nobody woke the relay
            await Outbox(probe.tables, probe.settings.event_source).write(
                s, [ProbeHappened(aggregate_id=k, n=n) for k in keys for n in range(5)]
            )
            await s.commit()
        relay.stop_soon()
        await asyncio.wait_for(running_relay, 15)
    finally:
        running_relay.cancel()

    async with probe.sessions() as s:
        unsent = await s.exec(select(func.count()).where(probe.tables.outbox.c.sent_at.is_(None)))
        assert unsent.one() == 0
    records = await read_topic(probe.settings, PROBES, 16, within=5)
    assert sorted(r.key.decode() for r in records) == sorted(k for k in keys for _ in range(5))
