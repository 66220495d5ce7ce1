"""One service's app in-process, for its own tests: a temporary SQLite file and no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where tests read
them; other services' events are applied the way the consumer runtime applies them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from sqlalchemy import MetaData, Table, func, make_url, select
from sqlalchemy.ext.asyncio import create_async_engine

from multitrack_shared.auth.principal import system_principal
from multitrack_shared.db.migrations import upgrade
from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.events.upcasting import read_event
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)

UNREACHABLE_BROKER = "127.0.0.1:1"


def offline_settings(
    settings_class: type[S],
    directory: Path,
    database_url: str | None = None,
    *,
    oidc_issuer: str = "",
) -> S:
    """No broker; a SQLite file in ``directory`` unless ``database_url`` names a database;
    tokens of ``oidc_issuer`` (the ``keycloak`` fixture's ``issuer.url``) verified, with no
    leeway on expiry."""
    name = settings_class.model_fields["service_name"].default
    return settings_class(
        database_url=database_url or f"sqlite+aiosqlite:///{directory}/{name}.db",
        kafka_bootstrap_servers=UNREACHABLE_BROKER,
        oidc_issuer=oidc_issuer,
        oidc_leeway_seconds=0,
        log_json=False,
        log_level="WARNING",
        rate_limit_client="",  # a test that counts on them turns them on
        rate_limit_organization="",
    )


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[FastAPI]:
    await _from_migrated_template(app)
    async with app.router.lifespan_context(app):
        yield app


_TEMPLATES: dict[Path, Path] = {}
"""Per migrations directory, a SQLite file migrated to head once in this test process."""


async def _from_migrated_template(app: FastAPI) -> None:
    """Start a new SQLite database as a copy of one already migrated to head.

    Running every migration costs more than half a second a service; the suites start a fresh
    app for almost every test. The service still runs its migrations at start, and finds them
    done, so what the copy holds is exactly what the migrations make.
    """
    runtime = app.state.runtime
    target = _new_sqlite_file(runtime.settings.database_url)
    if target is None:
        return
    migrations: Path = runtime.migrations_dir
    if migrations not in _TEMPLATES:
        template = Path(tempfile.mkdtemp(prefix="multitrack-migrated-")) / "template.db"
        engine = create_async_engine(f"sqlite+aiosqlite:///{template}")
        try:
            await upgrade(engine, migrations)
        finally:
            await engine.dispose()
        _TEMPLATES[migrations] = template
    _copy(_TEMPLATES[migrations], target)


def _new_sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite database not made yet; None for any other (a restarted test
    service's own file, PostgreSQL)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    target = Path(url.database)
    return None if target.exists() else target


def _copy(template: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


@asynccontextmanager
async def client_of(
    app: FastAPI, auth: httpx.Auth | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of ``app``; ``auth`` (``testing.tokens.TokenSource.auth``) authenticates
    every request unless a request passes its own ``auth=`` (``auth=None``: anonymous)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service", auth=auth) as c:
        yield c


async def apply_events(
    app: FastAPI, subscription: Subscription[Any], events: Iterable[IntegrationEvent]
) -> None:
    """Each event through its handler in a unit of work of its own acting as the service, then
    a commit: as the consumer runtime applies it, an older version read as the current one."""
    for event in events:
        async with app.state.runtime.new_uow() as uow:
            await _apply(app, subscription, event, uow)
            await uow.commit()


async def apply_events_together(
    app: FastAPI, subscription: Subscription[Any], events: Iterable[IntegrationEvent]
) -> None:
    """The events in one unit of work and one commit, each staged under its own id: as the
    consumer runtime applies the records of one partition fetched in one poll."""
    async with app.state.runtime.new_uow() as uow:
        for event in events:
            await _apply(app, subscription, event, uow)
            await uow.stage()
        await uow.commit()


async def _apply(
    app: FastAPI, subscription: Subscription[Any], event: IntegrationEvent, uow: UnitOfWork
) -> None:
    """``event`` through its handler, read as its current version, ``uow`` acting as the
    service for the envelope the event would have come in."""
    handler = subscription.handler_for(event.event_type)
    assert handler is not None, f"this service does not consume {event.event_type}"
    read = read_event(event.event_type, event.model_dump(mode="json"))
    envelope = Envelope.wrap(event, f"/multitrack/{event.__module__.rsplit('.', 1)[-1]}")
    actor = system_principal(app.state.runtime.settings.service_name)
    await handler(read, uow.acting_as(actor, envelope.id, envelope))


@dataclass
class ServiceTables:
    """Reads a service's tables directly, to check what was (or was not) written."""

    app: FastAPI
    metadata: MetaData
    messaging: MessagingTables
    owned: tuple[str, ...] = ()

    def table(self, name: str) -> Table:
        return self.metadata.tables[name]

    async def rows(self, table: Table | str) -> list[Any]:
        table = self.table(table) if isinstance(table, str) else table
        async with self.app.state.runtime.engine.connect() as connection:
            return list((await connection.execute(select(table))).all())

    async def count(self, table: Table | str) -> int:
        table = self.table(table) if isinstance(table, str) else table
        query = select(func.count()).select_from(table)
        async with self.app.state.runtime.engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def outbox(self) -> list[Any]:
        query = select(self.messaging.outbox).order_by(self.messaging.outbox.c.seq)
        async with self.app.state.runtime.engine.connect() as connection:
            return list((await connection.execute(query)).all())

    async def outbox_types(self) -> list[str]:
        return [row.event_type for row in await self.outbox()]

    async def snapshot(self) -> dict[str, list[Any]]:
        """Every owned table and the outbox: what a refused request must leave as it was."""
        tables = {name: sorted(map(tuple, await self.rows(name)), key=str) for name in self.owned}
        return {**tables, "outbox": await self.outbox()}
