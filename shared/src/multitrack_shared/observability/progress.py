"""Each consumed partition's lag and progress, and whether the consumer is stalled.

The consumer runtime reports what it fetches, starts and finishes; this keeps, per assigned
partition, the next offset to apply (``position``), the furthest end of the partition seen
(``highwater``: from the client's fetches, and from the broker at every health probe, since a
handler that blocks stops the fetching) and when the partition last made progress. Lag is
``highwater - position``. A partition makes progress when an event is applied, or whenever it
has no lag: an idle consumer is not stalled. A partition with lag and no progress for
``stall_seconds`` is stalled, and a consumer with a stalled partition is ``degraded``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from aiokafka import TopicPartition
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


class ConsumerState(StrEnum):
    ok = "ok"
    degraded = "degraded"
    waiting = "waiting"
    """No partition assigned yet: the broker or a topic is not there yet, or every partition
    went to other replicas."""


@dataclass
class _Partition:
    last_progress: float
    position: int | None = None
    highwater: int | None = None

    @property
    def lag(self) -> int | None:
        if self.position is None or self.highwater is None:
            return None
        return max(self.highwater - self.position, 0)


@dataclass(frozen=True)
class PartitionProgress:
    topic: str
    partition: int
    lag: int | None
    """None until the consumer has fetched from the partition once."""
    seconds_since_progress: float
    stalled: bool


class ConsumerProgress(Collector):
    def __init__(self, stall_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stall_seconds = stall_seconds
        self._clock = clock
        self._partitions: dict[TopicPartition, _Partition] = {}
        self._highwater: Callable[[TopicPartition], int | None] = lambda _: None

    def watch(self, highwater: Callable[[TopicPartition], int | None] | None) -> None:
        """Read each partition's end from ``highwater`` (the running client's), or stop."""
        self._highwater = highwater or (lambda _: None)

    def assigned(self, partitions: Iterable[TopicPartition]) -> None:
        """The partitions the consumer holds now; those it lost are forgotten."""
        current = set(partitions)
        for gone in set(self._partitions) - current:
            del self._partitions[gone]
        for new in current - set(self._partitions):
            self._partitions[new] = _Partition(last_progress=self._clock())

    def observed(self, tp: TopicPartition, position: int, highwater: int | None) -> None:
        """Between batches: every fetched record of ``tp`` before ``position`` is applied."""
        state = self._state(tp)
        state.position = position
        state.highwater = max(highwater or 0, state.highwater or 0, position)
        if state.lag == 0:
            state.last_progress = self._clock()

    def applying(self, tp: TopicPartition, offset: int, highwater: int | None) -> None:
        """The record at ``offset`` is being applied: it and what follows are the lag."""
        state = self._state(tp)
        state.position = offset
        state.highwater = max(highwater or 0, state.highwater or 0, offset + 1)

    def ended(self, tp: TopicPartition, end: int) -> None:
        """The broker says the partition ends at ``end`` (its next offset)."""
        state = self._partitions.get(tp)
        if state is not None:
            state.highwater = max(end, state.highwater or 0)

    def applied(self, tp: TopicPartition, offset: int) -> None:
        """The record at ``offset`` is applied and its offset committed."""
        state = self._state(tp)
        state.position = offset + 1
        state.last_progress = self._clock()

    def partitions(self) -> list[PartitionProgress]:
        now = self._clock()
        for tp, state in self._partitions.items():
            latest = self._highwater(tp)
            if latest is not None:
                state.highwater = max(latest, state.highwater or 0)
        return [
            PartitionProgress(
                topic=tp.topic,
                partition=tp.partition,
                lag=state.lag,
                seconds_since_progress=round(now - state.last_progress, 3),
                stalled=bool(state.lag) and now - state.last_progress > self.stall_seconds,
            )
            for tp, state in sorted(self._partitions.items())
        ]

    @property
    def state(self) -> ConsumerState:
        partitions = self.partitions()
        if not partitions:
            return ConsumerState.waiting
        if any(p.stalled for p in partitions):
            return ConsumerState.degraded
        return ConsumerState.ok

    def collect(self) -> Iterable[Metric]:
        lag = GaugeMetricFamily(
            "multitrack_consumer_lag",
            "Events on the partition not yet applied by the service's consumer group member.",
            labels=["topic", "partition"],
        )
        since = GaugeMetricFamily(
            "multitrack_consumer_seconds_since_progress",
            "Seconds since the partition last had an event applied or no lag.",
            labels=["topic", "partition"],
        )
        partitions = self.partitions()
        for p in partitions:
            labels = [p.topic, str(p.partition)]
            if p.lag is not None:
                lag.add_metric(labels, p.lag)
            since.add_metric(labels, p.seconds_since_progress)
        degraded = GaugeMetricFamily(
            "multitrack_consumer_degraded",
            "1 while a partition has lag and made no progress for the configured stall time.",
            value=int(any(p.stalled for p in partitions)),
        )
        return [lag, since, degraded]

    def _state(self, tp: TopicPartition) -> _Partition:
        state = self._partitions.get(tp)
        if state is None:
            state = self._partitions[tp] = _Partition(last_progress=self._clock())
        return state
