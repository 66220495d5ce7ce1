"""Everything a service runs besides its routes: database, outbox relay, consumer, topics,
the bearer-token verifier, the audit trail, metrics, health and the tracer of all of them.

A service's ``bootstrap`` builds one ``ServiceRuntime`` from its settings, metadata, unit of
work class and subscription; ``http.app.create_service_app`` starts and stops it in the app's
lifespan. Nothing here is built at import time.

**Stopping** (SIGTERM: uvicorn first stops taking requests and answers those in flight, then
the lifespan ends): the consumer finishes the event in hand and commits its offset, then the
relay sends what the outbox holds, both within ``shutdown_seconds``; whatever is still running
then is cancelled, which loses nothing (an uncommitted event is delivered again, an unsent row
stays in the outbox).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import MetaData, Table, delete, inspect

from multitrack_shared.audit.trail import AuditTrail
from multitrack_shared.auth.tokens import TokenVerifier, oidc_config
from multitrack_shared.db.engine import create_engine, ping, session_factory
from multitrack_shared.db.migrations import upgrade
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.access import written_topics
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.kafka import ensure_topics
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.pruning import prune_periodically
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.replay import Replay
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.observability.health import ServiceHealth
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.observability.monitor import HealthMonitor
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.tracing import tracer_provider

log = get_logger(__name__)

U = TypeVar("U", bound=UnitOfWork)

Worker = Callable[["ServiceRuntime[U]"], Coroutine[Any, Any, None]]
"""A service's own background work: given the runtime, runs until cancelled."""

WORKER_RESTART_SECONDS = 1.0


class ServiceRuntime(Generic[U]):
    def __init__(
        self,
        settings: ServiceSettings,
        *,
        metadata: MetaData,
        tables: MessagingTables,
        migrations_dir: Path,
        uow_class: type[U],
        subscription: Subscription[U] | None = None,
        read_models: Sequence[Table] = (),
        audit_log: Table | None = None,
        workers: Sequence[Worker[U]] = (),
    ) -> None:
        self.settings = settings
        self.metadata = metadata
        self.migrations_dir = migrations_dir
        self.engine = create_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        self.tracer_provider = tracer_provider(settings)
        tracer = self.tracer_provider.get_tracer("multitrack_shared")
        self.outbox = Outbox(tables, settings.event_source)
        self.metrics = ServiceMetrics(settings.service_name)
        self.relay = OutboxRelay(settings, self.engine, tables, metrics=self.metrics, tracer=tracer)
        self._uow_class = uow_class
        self.consumer = (
            ConsumerRuntime(
                settings,
                subscription,
                self.new_uow,
                tables,
                metrics=self.metrics,
                tracer=tracer,
            )
            if subscription
            else None
        )
        self.monitor = HealthMonitor(
            settings,
            self.engine,
            tables,
            self.metrics,
            consumer_ends=self.consumer.refresh_ends if self.consumer else None,
        )
        if self.consumer is not None:
            self.metrics.registry.register(self.consumer.progress)
        self.health = ServiceHealth(
            settings.service_name,
            database=lambda: ping(self.engine),
            loops=self.loops,
            monitor=self.monitor,
            consumer=self.consumer.progress if self.consumer else None,
        )
        self.tables = tables
        self.read_models = tuple(read_models)
        self.audit_log = audit_log
        self._audit = AuditTrail(audit_log) if audit_log is not None else None
        oidc = oidc_config(settings)
        self.verifier = TokenVerifier(oidc) if oidc is not None else None
        """Verifies bearer tokens; None when the settings name no issuer."""
        self._tasks: list[asyncio.Task[None]] = []
        self._loops: dict[str, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()
        self._consuming: asyncio.Task[None] | None = None
        self._rebuilding = asyncio.Lock()
        self._workers = tuple(workers)

    def new_uow(self) -> U:
        return self._uow_class(self.sessions, self.outbox, self.relay.wake, self._audit)

    async def start(self) -> None:
        """Migrate the database, then run relay, consumer and pruning in the background.

        The broker may be down at start: the HTTP API still accepts writes (they wait in the
        outbox) while topic creation and consumption keep retrying.
        """
        await upgrade(self.engine, self.migrations_dir)
        if await self._read_models_missing():
            await self.rebuild_read_models()
        self._spawn(self.relay.run(), "outbox-relay", loop=True)
        self._consuming = self._spawn(
            self._topics_then_consume(), "consumer", loop=self.consumer is not None
        )
        self._spawn(prune_periodically(self.engine, self.tables, self.settings), "pruning", True)
        self._spawn(self.monitor.run(), "health-monitor", loop=True)
        if self.verifier is not None:
            self._spawn(self.verifier.warm_up(), "signing-keys")
        for number, worker in enumerate(self._workers):
            self._spawn(self._keep_running(worker), f"worker-{number}")

    async def _keep_running(self, worker: Worker[U]) -> None:
        while True:
            try:
                await worker(self)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug or an outage must not end the work for good
                log.error("worker failed; restarting", error=repr(exc))
            await asyncio.sleep(WORKER_RESTART_SECONDS)

    async def rebuild_read_models(self) -> None:
        """Recreate the read-model tables empty and replay every consumed topic into them.

        Read models are projections of other services' events and can always be rebuilt: drop
        any of their tables and restart the service, and this runs. The inbox is emptied with
        them, so every event is applied again; handlers of events that also touch the
        service's own aggregates must therefore be idempotent on their own.
        """
        async with self.engine.begin() as connection:
            await connection.run_sync(self.metadata.drop_all, tables=list(self.read_models))
            await connection.run_sync(self.metadata.create_all, tables=list(self.read_models))
            await connection.execute(delete(self.tables.inbox))
        if self.consumer is not None:
            self.consumer.replay_from_beginning = True
            self.consumer.replay = Replay(started_at=datetime.now(UTC))
        log.info("read models rebuilt; replaying", tables=[t.name for t in self.read_models])

    async def rebuild_while_running(self) -> None:
        """Rebuild the read models without a restart: the consumer stops (a handler in flight
        is rolled back, its offset not committed), the tables are recreated empty, and the
        consumer starts again from the beginning of every partition it is assigned.

        With several replicas of a service on one database, only this replica's partitions
        replay: scale the service to one replica first (or drop the tables and restart all).
        """
        async with self._rebuilding:
            consuming, self._consuming = self._consuming, None
            # A consumer stopped on purpose is not a dead loop: liveness ignores it meanwhile.
            self._loops.pop("consumer", None)
            if consuming is not None:
                consuming.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await consuming
                self._tasks.remove(consuming)
            await self.rebuild_read_models()
            self._consuming = self._spawn(
                self._topics_then_consume(), "consumer", loop=self.consumer is not None
            )

    @property
    def consumer_state(self) -> str:
        """none (the service consumes nothing), running, or stopped (between a rebuild's stop
        and its start, or before the service started)."""
        if self.consumer is None:
            return "none"
        running = self._consuming is not None and not self._consuming.done()
        return "running" if running else "stopped"

    async def _read_models_missing(self) -> bool:
        if not self.read_models:
            return False
        async with self.engine.connect() as connection:
            present = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        return any(table.name not in present for table in self.read_models)

    def loops(self) -> dict[str, bool]:
        """Each background loop by name: whether it still runs."""
        return {name: not task.done() for name, task in self._loops.items()}

    async def stop(self) -> None:
        started = asyncio.get_running_loop().time()
        deadline = started + self.settings.shutdown_seconds
        self._stopping.set()
        finished = True
        if self.consumer is not None:
            self.consumer.stop_soon()
            finished = await self._finish("consumer", deadline)
        self.relay.stop_soon()  # after the consumer: its last handlers' events are sent too
        finished = await self._finish("outbox-relay", deadline) and finished
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._loops.clear()
        if self.verifier is not None:
            await self.verifier.close()
        await self.engine.dispose()
        # The exporter sends over blocking HTTP; its last spans leave before the process does.
        await asyncio.to_thread(self.tracer_provider.force_flush)
        seconds = round(asyncio.get_running_loop().time() - started, 3)
        log.info("service stopped", finished_in_time=finished, seconds=seconds)

    async def _finish(self, loop: str, deadline: float) -> bool:
        """Wait for ``loop`` to return until ``deadline``; whether it did."""
        task = self._loops.get(loop)
        if task is None:
            return True
        await asyncio.wait({task}, timeout=max(deadline - asyncio.get_running_loop().time(), 0))
        if not task.done():
            log.warning("stopping: cancelled what did not finish in time", loop=loop)
        return task.done()

    async def _topics_then_consume(self) -> None:
        # A service creates only the topics it writes (the broker's ACLs let it create no
        # other); a topic it reads appears when its producer first starts, and the consumer
        # picks it up then.
        delay = 0.5
        while not self._stopping.is_set():
            try:
                await ensure_topics(self.settings, written_topics(self.settings.service_name))
                break
            except Exception as exc:
                log.warning("topics not ensured yet", error=repr(exc), retry_in=delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
                delay = min(delay * 2, 5.0)
        self.relay.wake()
        if self.consumer is not None and not self._stopping.is_set():
            await self.consumer.run()

    def _spawn(
        self, work: Coroutine[Any, Any, None], name: str, loop: bool = False
    ) -> asyncio.Task[None]:
        """Run ``work`` in the background; a ``loop`` runs as long as the service, and its end
        makes the service no longer live."""
        task = asyncio.create_task(work, name=name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)
        if loop:
            self._loops[name] = task
        return task


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task died", task=task.get_name(), error=repr(task.exception()))
