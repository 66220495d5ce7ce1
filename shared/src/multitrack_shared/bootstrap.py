"""What every service's composition root has in common.

A service's ``bootstrap.py`` declares the parts that are its own, once, as ``ServiceParts``:
its settings class, migrations, metadata and messaging tables, read models, unit-of-work class,
the handlers of the events it consumes and its audit log. Building the runtime from them
(default settings, subscription, outbox, relay, consumer, token verifier) is the same for
every service and happens in ``runtime()``, when the app is created, never at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import MetaData, Table

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.ports import EventHandlers
from multitrack_shared.runtime import ServiceRuntime, Worker
from multitrack_shared.settings import ServiceSettings

U = TypeVar("U", bound=UnitOfWork)


@dataclass(frozen=True)
class ServiceParts(Generic[U]):
    settings_class: type[ServiceSettings]
    """Read from the environment when no settings are given."""
    migrations_dir: Path
    metadata: MetaData
    """The service's own metadata: its tables, read models, outbox and inbox."""
    messaging: MessagingTables
    read_models: tuple[Table, ...]
    """Declared with ``db.read_models.read_models``; empty where the service has none."""
    uow_class: type[U]
    handlers: EventHandlers[U]
    """``entrypoints/consumers.py``: event class → handler; empty where it consumes nothing."""
    audit_log: Table | None = None
    """``audit.tables.audit_table(metadata)``: every change its units of work commit is
    audited there; serves ``GET /audit`` too."""
    workers: tuple[Worker[U], ...] = ()
    """Background work of the service's own beside relay and consumer, each given the runtime
    (its settings and units of work) and run, restarted after a crash, until the app stops."""

    def runtime(self, settings: ServiceSettings | None = None) -> ServiceRuntime[U]:
        return ServiceRuntime(
            settings or self.settings_class(),
            metadata=self.metadata,
            tables=self.messaging,
            migrations_dir=self.migrations_dir,
            uow_class=self.uow_class,
            subscription=Subscription(self.handlers) if self.handlers else None,
            read_models=self.read_models,
            audit_log=self.audit_log,
            workers=self.workers,
        )
