"""What is probed in the background: whether the broker answers, and the outbox's backlog.

``/health`` and ``/metrics`` read the last results and never wait on the broker or the
database themselves, so a scrape stays quick in an outage. Every ``health_probe_seconds`` the
monitor asks the broker for its metadata and where each consumed partition ends, and
counts the outbox rows not sent yet, the age of the oldest, and the parked ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.kafka import broker_reachable
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.times import utc

log = get_logger(__name__)


@dataclass(frozen=True)
class Probed:
    """One dependency as last probed."""

    up: bool | None
    """None before the first probe."""
    since: datetime | None = None
    """When it last changed between up and down."""
    error: str | None = None


@dataclass(frozen=True)
class OutboxBacklog:
    pending: int = 0
    oldest_age_seconds: float = 0.0
    parked: int = 0


class HealthMonitor:
    def __init__(
        self,
        settings: ServiceSettings,
        engine: AsyncEngine,
        tables: MessagingTables,
        metrics: ServiceMetrics,
        consumer_ends: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._consumer_ends = consumer_ends
        self._settings = settings
        self._engine = engine
        self._outbox = tables.outbox
        self._metrics = metrics
        self.broker = Probed(up=None)
        self.database = Probed(up=None)
        self.outbox: OutboxBacklog | None = None
        """None until counted once; the last count while the database is out of reach."""

    async def run(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self._settings.health_probe_seconds)

    async def refresh(self) -> None:
        broker, outbox = await asyncio.gather(
            broker_reachable(self._settings, within=self._timeout),
            self._count_outbox(),
            return_exceptions=True,
        )
        self.broker = _changed(self.broker, broker)
        if isinstance(outbox, OutboxBacklog):
            self.outbox = outbox
            self.database = _changed(self.database, None)
            self._metrics.outbox_pending.set(outbox.pending)
            self._metrics.outbox_oldest_age.set(outbox.oldest_age_seconds)
            self._metrics.outbox_parked.set(outbox.parked)
        else:
            self.database = _changed(self.database, outbox)
        self._metrics.broker_up.set(int(bool(self.broker.up)))
        if self._consumer_ends is not None and self.broker.up:
            try:
                await self._consumer_ends(self._timeout)
            except Exception as exc:
                log.info("partition ends not read", error=repr(exc))
        self._metrics.database_up.set(int(bool(self.database.up)))

    @property
    def _timeout(self) -> float:
        return min(3.0, max(self._settings.health_probe_seconds, 0.5))

    async def _count_outbox(self) -> OutboxBacklog:
        outbox = self._outbox
        unsent = outbox.c.sent_at.is_(None)
        async with asyncio.timeout(self._timeout), self._engine.connect() as connection:
            pending, oldest = (
                await connection.execute(
                    select(func.count(), func.min(outbox.c.occurred_at)).where(
                        unsent, outbox.c.parked_at.is_(None)
                    )
                )
            ).one()
            parked = await connection.scalar(
                select(func.count()).where(unsent, outbox.c.parked_at.is_not(None))
            )
        age = (datetime.now(UTC) - utc(oldest)).total_seconds() if oldest is not None else 0.0
        return OutboxBacklog(int(pending), round(max(age, 0.0), 3), int(parked or 0))


def _changed(before: Probed, outcome: object) -> Probed:
    up = not isinstance(outcome, BaseException)
    error = None if up else f"{type(outcome).__name__}: {outcome}"[:300]
    since = before.since if before.up == up else datetime.now(UTC)
    return Probed(up=up, since=since, error=error)
