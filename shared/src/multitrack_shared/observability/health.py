"""What the three health endpoints answer.

- **live**: the process runs its loops (relay, consumer, pruning, monitor); a loop that ended
  makes the process not live, so that it is restarted.
- **ready**: it can serve its API, which needs its database and nothing else. A broker outage
  leaves it ready: writes wait in the outbox, and the outage shows in the detail and in the
  metrics.
- **detail** (``/health``): everything above, the broker as last probed, the outbox's backlog
  and each consumed partition's lag and progress, with one overall status.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from multitrack_shared.observability.monitor import HealthMonitor, Probed
from multitrack_shared.observability.progress import ConsumerProgress, ConsumerState

Check = Callable[[], Awaitable[None]]


class Overall(StrEnum):
    ok = "ok"
    degraded = "degraded"
    """Serving, but something behind it is wrong: the broker is out of reach, or the consumer
    has lag it does not work off."""
    unavailable = "unavailable"
    """Not serving: the database does not answer, or a loop has stopped."""


class Liveness(BaseModel):
    status: str = Field(description="ok, or stopped when a loop of the service has ended.")
    stopped: list[str] = Field(description="The loops that ended, by name.")


class Readiness(BaseModel):
    status: str = Field(description="ok, or unavailable when the database does not answer.")
    checks: dict[str, str] = Field(
        description="Each dependency readiness needs, by name (only the database): ok, or "
        "unavailable with the kind of failure."
    )


class DependencyHealth(BaseModel):
    status: str = Field(description="ok, unavailable, or unknown before the first probe.")
    since: datetime | None = Field(description="When it last went up or down.")
    error: str | None = Field(description="Why the last probe failed.")


class OutboxHealth(BaseModel):
    pending: int = Field(description="Rows not sent to the broker yet.")
    oldest_age_seconds: float = Field(description="Age of the oldest of them; 0 when none.")
    parked: int = Field(description="Rows the broker refused for good (an operator's task).")


class PartitionHealth(BaseModel):
    topic: str = Field(description="The topic, with its namespace.")
    partition: int = Field(description="The partition number.")
    lag: int | None = Field(description="Events not yet applied; null before the first fetch.")
    seconds_since_progress: float = Field(
        description="Since an event was last applied or the lag was last zero."
    )
    status: str = Field(description="ok, or stalled: lag and no progress for stall_seconds.")


class ConsumerHealth(BaseModel):
    status: ConsumerState = Field(
        description="ok; degraded while a partition is stalled; waiting while none is assigned."
    )
    stall_seconds: float = Field(description="How long lag without progress makes a stall.")
    partitions: list[PartitionHealth] = Field(description="Each assigned partition.")


class HealthDetail(BaseModel):
    service: str = Field(description="The service's name.")
    status: Overall = Field(
        description="ok; degraded (serving, but the broker is out of reach or the consumer "
        "stalled); unavailable (the database does not answer or a loop stopped)."
    )
    live: bool = Field(description="What /health/live answers.")
    ready: bool = Field(description="What /health/ready answers.")
    loops: dict[str, str] = Field(description="Each background loop: running or stopped.")
    database: DependencyHealth = Field(description="Probed for this answer.")
    broker: DependencyHealth = Field(description="As last probed in the background.")
    outbox: OutboxHealth | None = Field(description="As last counted; null before the first.")
    consumer: ConsumerHealth | None = Field(description="Null where nothing is consumed.")


@dataclass
class ServiceHealth:
    service: str
    database: Check
    """Probed at every readiness and detail request, within ``timeout``."""
    loops: Callable[[], Mapping[str, bool]]
    """Each background loop by name: whether it still runs."""
    monitor: HealthMonitor | None = None
    consumer: ConsumerProgress | None = None
    timeout: float = 3.0

    def liveness(self) -> Liveness:
        stopped = sorted(name for name, running in self.loops().items() if not running)
        return Liveness(status="stopped" if stopped else "ok", stopped=stopped)

    async def readiness(self) -> Readiness:
        try:
            await asyncio.wait_for(self.database(), self.timeout)
            database = "ok"
        except Exception as exc:
            database = f"unavailable: {type(exc).__name__}"
        return Readiness(
            status="ok" if database == "ok" else "unavailable", checks={"database": database}
        )

    async def detail(self) -> HealthDetail:
        live, ready = self.liveness(), await self.readiness()
        broker = _dependency(self.monitor.broker if self.monitor else Probed(up=None))
        consumer = self._consumer()
        if live.stopped or ready.status != "ok":
            status = Overall.unavailable
        elif broker.status == "unavailable" or (
            consumer is not None and consumer.status is ConsumerState.degraded
        ):
            status = Overall.degraded
        else:
            status = Overall.ok
        backlog = self.monitor.outbox if self.monitor else None
        return HealthDetail(
            service=self.service,
            status=status,
            live=not live.stopped,
            ready=ready.status == "ok",
            loops={
                name: "running" if running else "stopped" for name, running in self.loops().items()
            },
            database=DependencyHealth(
                status="ok" if ready.status == "ok" else "unavailable",
                since=None,
                error=None if ready.status == "ok" else ready.checks["database"],
            ),
            broker=broker,
            outbox=OutboxHealth(**vars(backlog)) if backlog is not None else None,
            consumer=consumer,
        )

    def _consumer(self) -> ConsumerHealth | None:
        if self.consumer is None:
            return None
        return ConsumerHealth(
            status=self.consumer.state,
            stall_seconds=self.consumer.stall_seconds,
            partitions=[
                PartitionHealth(
                    topic=p.topic,
                    partition=p.partition,
                    lag=p.lag,
                    seconds_since_progress=p.seconds_since_progress,
                    status="stalled" if p.stalled else "ok",
                )
                for p in self.consumer.partitions()
            ],
        )


def _dependency(probed: Probed) -> DependencyHealth:
    status = "unknown" if probed.up is None else "ok" if probed.up else "unavailable"
    return DependencyHealth(status=status, since=probed.since, error=probed.error)
