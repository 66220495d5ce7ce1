"""A service's dead-letter topic, read by the service itself, and its records sent back
through its consumer.

The consumer writes each event it could not decode or apply to
``multitrack.<service>.dead-letter.v1`` with the reason and its origin in ``dlq-*`` headers.
The service may read its own dead-letter topic (``messaging.access``): without a consumer
group, from the beginning to the end as it is now. A replay rebuilds the original record
(its topic, partition and offset; its own headers) and hands it to the consumer's ``process``,
so the inbox, the retries and, if it fails again, the dead-letter topic apply as they did the
first time. An operator chooses which records return; nobody can send an event of their own
through this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from multitrack_shared.messaging.kafka import client_security, close_quietly, topic_partitions
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.settings import ServiceSettings

DLQ_HEADER_PREFIX = "dlq-"
FETCH_WAIT_SECONDS = 10.0
"""Longest wait for a fetch that must bring records (the topic's end is further on)."""


@dataclass(frozen=True)
class DeadLetter:
    event_id: str | None
    """The CloudEvent's id; None when the record could not be decoded at all."""
    event_type: str | None
    error: str
    attempts: int
    failed_at: datetime | None
    origin_topic: str
    origin_partition: int
    origin_offset: int
    dead_letter_offset: int
    record: ConsumerRecord[bytes, bytes]

    def original(self) -> ConsumerRecord[bytes, bytes]:
        """The record as the consumer first read it: its origin, its own headers."""
        return ConsumerRecord(
            topic=self.origin_topic,
            partition=self.origin_partition,
            offset=self.origin_offset,
            timestamp=self.record.timestamp,
            timestamp_type=self.record.timestamp_type,
            key=self.record.key,
            value=self.record.value,
            checksum=None,
            serialized_key_size=self.record.serialized_key_size,
            serialized_value_size=self.record.serialized_value_size,
            headers=[(k, v) for k, v in self.record.headers if not k.startswith(DLQ_HEADER_PREFIX)],
        )


def dead_letter(record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
    headers = {k: v.decode("utf-8", errors="replace") for k, v in record.headers}
    failed_at = headers.get("dlq-failed-at")
    return DeadLetter(
        event_id=headers.get("ce_id"),
        event_type=headers.get("ce_type"),
        error=headers.get("dlq-error", ""),
        attempts=int(headers.get("dlq-attempts", "0")),
        failed_at=datetime.fromisoformat(failed_at) if failed_at else None,
        origin_topic=headers.get("dlq-origin-topic", ""),
        origin_partition=int(headers.get("dlq-origin-partition", "0")),
        origin_offset=int(headers.get("dlq-origin-offset", "0")),
        dead_letter_offset=record.offset,
        record=record,
    )


async def read_dead_letters(settings: ServiceSettings) -> list[DeadLetter]:
    """Every record on the service's dead-letter topic now, oldest first."""
    topic = dead_letter_topic(settings.service_name).qualified(settings.topic_namespace)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-dead-letters",
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **client_security(settings),
    )
    numbers = (await topic_partitions(settings, [topic])).get(topic, [])
    if not numbers:
        return []
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in numbers]
        consumer.assign(partitions)
        starts = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:  # explicitly: an assignment's own reset must not move it on
            consumer.seek(tp, starts[tp])
        letters: list[DeadLetter] = []
        remaining = {tp for tp in partitions if ends[tp] > starts[tp]}
        while remaining:
            batches = await consumer.getmany(
                *remaining, timeout_ms=round(FETCH_WAIT_SECONDS * 1000)
            )
            if not batches:
                raise TimeoutError(f"{topic} did not answer within {FETCH_WAIT_SECONDS} s")
            for tp, records in batches.items():
                letters.extend(dead_letter(r) for r in records if r.offset < ends[tp])
                if records and records[-1].offset >= ends[tp] - 1:
                    remaining.discard(tp)
        return sorted(letters, key=lambda d: (d.record.timestamp, d.dead_letter_offset))
    finally:
        await close_quietly(consumer)
