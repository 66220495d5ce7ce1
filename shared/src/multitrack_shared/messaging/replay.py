"""Replaying a consumer's topics from the beginning, and how far a replay has come.

After its read models are rebuilt, a service's consumer seeks every partition it is assigned
to its beginning once (``ReplayOnAssignment``), noting where each partition starts and ends at
that moment; ``Replay`` then follows the consumer up to those ends, for the operator's
progress bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from multitrack_shared.logging import get_logger

if TYPE_CHECKING:
    from multitrack_shared.messaging.consumer import ConsumerRuntime

log = get_logger(__name__)

Partition = tuple[str, int]
"""A topic (as named on the broker) and a partition number."""


@dataclass
class Replay:
    """A replay from the beginning: where each partition starts and ends, as it was when the
    consumer was assigned it, and how far the consumer has applied it since."""

    started_at: datetime
    starts: dict[Partition, int] = field(default_factory=dict)
    ends: dict[Partition, int] = field(default_factory=dict)
    reached: dict[Partition, int] = field(default_factory=dict)
    applied: int = 0
    """Records applied during the replay (not those the inbox already held)."""
    finished_at: datetime | None = None

    @property
    def assigned(self) -> bool:
        return bool(self.ends)

    @property
    def total(self) -> int:
        return sum(self.ends[p] - self.starts.get(p, 0) for p in self.ends)

    @property
    def done(self) -> int:
        return sum(
            max(0, min(self.reached.get(p, self.starts.get(p, 0)), end) - self.starts.get(p, 0))
            for p, end in self.ends.items()
        )

    def assign(self, starts: dict[Partition, int], ends: dict[Partition, int]) -> None:
        """The partitions the replay covers: from their first offset to their end now."""
        self.starts, self.ends = starts, ends
        self._finish_if_done()

    def passed(self, partition: Partition, next_offset: int, *, applied: bool) -> None:
        """The consumer has processed ``partition`` up to ``next_offset`` (exclusive)."""
        self.reached[partition] = next_offset
        self.applied += applied
        self._finish_if_done()

    def _finish_if_done(self) -> None:
        if self.finished_at is None and self.assigned and self.done >= self.total:
            self.finished_at = datetime.now(UTC)


class ReplayOnAssignment(ConsumerRebalanceListener):  # type: ignore[misc]
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
            if self._runtime.replay is not None:
                starts = await self._consumer.beginning_offsets(assigned)
                ends = await self._consumer.end_offsets(assigned)
                self._runtime.replay.assign(
                    {(tp.topic, tp.partition): o for tp, o in starts.items()},
                    {(tp.topic, tp.partition): o for tp, o in ends.items()},
                )
            log.info("replaying from the beginning", partitions=len(assigned))
