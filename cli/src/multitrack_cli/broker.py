"""What the operator reads from the broker itself: topics and their offsets, each consumer
group's committed offsets and lag, and where a sent event landed.

The operator principal reads every platform topic and describes every group; it writes
nothing and joins no service's group (its consumers here have no group at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiokafka import AIOKafkaConsumer, TopicPartition

from multitrack_shared.messaging.kafka import (
    client_security,
    close_quietly,
    new_admin,
    topic_partitions,
)
from multitrack_shared.messaging.topics import all_topics
from multitrack_shared.settings import ServiceSettings

SEARCH_BEFORE = timedelta(minutes=2)
"""A record is stamped when the relay hands it to the producer; the outbox marks it sent once
the batch is acknowledged, a little later (longer after a retried attempt)."""
SEARCH_AFTER = timedelta(seconds=10)


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    start: int
    end: int


@dataclass(frozen=True)
class GroupLag:
    group: str
    partitions: dict[tuple[str, int], tuple[int | None, int]]
    """(topic, partition) → (committed offset or None, end offset)."""

    @property
    def lag(self) -> int:
        return sum(end - (committed or 0) for committed, end in self.partitions.values())


@dataclass(frozen=True)
class Located:
    topic: str
    partition: int
    offset: int
    timestamp: datetime


class Broker:
    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Broker:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._settings.kafka_bootstrap_servers,
            client_id="multitrack-cli",
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **client_security(self._settings),
        )
        await consumer.start()
        self._consumer = consumer
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._consumer is not None:
            await close_quietly(self._consumer)

    @property
    def consumer(self) -> AIOKafkaConsumer:
        assert self._consumer is not None, "use the broker in `async with`"
        return self._consumer

    async def topics(self) -> list[PartitionOffsets]:
        """Every declared topic of the namespace that exists, each partition with its first
        and end offset."""
        namespace = self._settings.topic_namespace
        return await self.offsets(t.qualified(namespace) for t in all_topics())

    async def offsets(self, topics: Iterable[str]) -> list[PartitionOffsets]:
        """Each partition of those of ``topics`` that exist, with its first and end offset."""
        partitions = [
            TopicPartition(topic, p)
            for topic, numbers in (await topic_partitions(self._settings, topics)).items()
            for p in numbers
        ]
        if not partitions:
            return []
        starts = await self.consumer.beginning_offsets(partitions)
        ends = await self.consumer.end_offsets(partitions)
        return [PartitionOffsets(tp.topic, tp.partition, starts[tp], ends[tp]) for tp in partitions]

    async def group_lag(self, group: str, topics: Iterable[str] | None = None) -> GroupLag:
        """The group's committed offsets on ``topics`` (None: those it has committed on) and
        how far behind the ends it is."""
        admin = new_admin(self._settings)
        await admin.start()
        try:
            committed = await admin.list_consumer_group_offsets(group)
        finally:
            await admin.close()
        if topics is None:
            topics = sorted({tp.topic for tp in committed})
        ends = {(o.topic, o.partition): o.end for o in await self.offsets(topics)}
        by_partition = {(tp.topic, tp.partition): meta.offset for tp, meta in committed.items()}
        return GroupLag(
            group,
            {
                p: (by_partition.get(p) if by_partition.get(p, -1) >= 0 else None, end)
                for p, end in sorted(ends.items())
            },
        )

    async def locate(
        self, event_id: str, topic: str, key: str, sent_at: datetime
    ) -> Located | None:
        """Where the record of ``event_id`` (keyed ``key``) landed on ``topic``: read from just
        before it was sent to just after, on every partition, and matched by its id."""
        partitions = [
            TopicPartition(topic, p)
            for p in (await topic_partitions(self._settings, [topic])).get(topic, [])
        ]
        if not partitions:
            return None
        since = round((sent_at - SEARCH_BEFORE).timestamp() * 1000)
        until = round((sent_at + SEARCH_AFTER).timestamp() * 1000)
        starts = await self.consumer.offsets_for_times(dict.fromkeys(partitions, since))
        ends = await self.consumer.end_offsets(partitions)
        wanted = key.encode()
        for tp in partitions:
            found = starts.get(tp)
            if found is None:
                continue
            located = await self._scan(tp, found.offset, ends[tp], until, event_id, wanted)
            if located is not None:
                return located
        return None

    async def _scan(
        self, tp: TopicPartition, start: int, end: int, until: int, event_id: str, key: bytes
    ) -> Located | None:
        self.consumer.assign([tp])
        self.consumer.seek(tp, start)
        while await self.consumer.position(tp) < end:
            batches = await self.consumer.getmany(tp, timeout_ms=5000)
            if not batches:
                return None
            for record in batches.get(tp, []):
                if record.timestamp > until:
                    return None
                headers = dict(record.headers)
                if record.key == key and headers.get("ce_id") == event_id.encode():
                    return Located(
                        tp.topic,
                        tp.partition,
                        record.offset,
                        datetime.fromtimestamp(record.timestamp / 1000).astimezone(),
                    )
        return None
