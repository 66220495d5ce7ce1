"""Sent outbox rows and inbox ids are pruned after their retention, idempotency keys once
expired, in bounded batches; unsent and parked rows stay. On SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from multitrack_shared.db.engine import create_engine
from multitrack_shared.messaging import pruning
from multitrack_shared.messaging.kafka import ensure_topics
from multitrack_shared.messaging.pruning import Pruned, prune_messaging_tables, prune_periodically
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import SUPER_USER, Broker
from multitrack_shared.testing.polling import eventually

from .conftest import PROBES, metadata, probe_database, running, tables, topic_configs

NOW = datetime.now(UTC)
SETTINGS = ServiceSettings(
    service_name="probe", outbox_retention_hours=168, inbox_retention_hours=720
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(await probe_database(request, tmp_path))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def add_outbox_row(
    engine: AsyncEngine, label: str, *, sent_ago: float | None, parked: bool = False
) -> None:
    """A row that occurred a year ago; sent ``sent_ago`` hours ago, if at all."""
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.outbox).values(
                event_id=str(uuid.uuid4()),
                topic=PROBES.name,
                message_key=label,
                event_type="multitrack.probe.happened.v1",
                source="/test",
                occurred_at=NOW - timedelta(days=365),
                data={},
                sent_at=None if sent_ago is None else NOW - timedelta(hours=sent_ago),
                parked_at=NOW - timedelta(days=300) if parked else None,
                park_error="MessageSizeTooLargeError" if parked else None,
            )
        )


async def add_inbox_id(engine: AsyncEngine, event_id: str, applied_ago: float) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.inbox).values(
                event_id=event_id,
                event_type="multitrack.probe.happened.v1",
                topic=PROBES.name,
                partition=0,
                offset=0,
                applied_at=NOW - timedelta(hours=applied_ago),
            )
        )


async def outbox_labels(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set((await connection.scalars(select(tables.outbox.c.message_key))).all())


async def inbox_ids(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set((await connection.scalars(select(tables.inbox.c.event_id))).all())


async def test_only_sent_rows_and_inbox_ids_past_their_retention_are_pruned(
    engine: AsyncEngine,
) -> None:
    await add_outbox_row(engine, "sent long ago", sent_ago=200)
    await add_outbox_row(engine, "sent lately", sent_ago=100)
    await add_outbox_row(engine, "never sent", sent_ago=None)
    await add_outbox_row(engine, "parked", sent_ago=None, parked=True)
    await add_inbox_id(engine, "applied long ago", applied_ago=800)
    # Past the outbox's and the topics' retention, within the inbox's.
    await add_inbox_id(engine, "applied lately", applied_ago=200)

    pruned = await prune_messaging_tables(engine, tables, SETTINGS, now=NOW)

    assert pruned == Pruned(outbox_rows=1, inbox_ids=1)
    assert await outbox_labels(engine) == {"sent lately", "never sent", "parked"}
    assert await inbox_ids(engine) == {"applied lately"}


async def test_idempotency_keys_are_pruned_once_expired(engine: AsyncEngine) -> None:
    for label, expires_in in (("expired", -1), ("kept", 1)):
        async with engine.begin() as connection:
            await connection.execute(
                insert(tables.idempotency_keys).values(
                    id=label,
                    fingerprint="0" * 64,
                    status=201,
                    headers=[],
                    body=b"{}",
                    created_at=NOW - timedelta(hours=24),
                    expires_at=NOW + timedelta(hours=expires_in),
                )
            )

    pruned = await prune_messaging_tables(engine, tables, SETTINGS, now=NOW)

    assert pruned == Pruned(outbox_rows=0, inbox_ids=0, idempotency_keys=1)
    async with engine.connect() as connection:
        kept = set((await connection.scalars(select(tables.idempotency_keys.c.id))).all())
    assert kept == {"kept"}


async def test_a_backlog_is_pruned_in_bounded_batches(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pruning, "PRUNE_BATCH", 2)
    for n in range(5):
        await add_outbox_row(engine, f"old {n}", sent_ago=200 + n)
        await add_inbox_id(engine, f"old {n}", applied_ago=800 + n)
    await add_outbox_row(engine, "kept", sent_ago=1)
    deletes: list[int] = []

    def count_deletes(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(cursor.rowcount)

    event.listen(engine.sync_engine, "after_cursor_execute", count_deletes)
    pruned = await prune_messaging_tables(engine, tables, SETTINGS, now=NOW)

    assert pruned == Pruned(outbox_rows=5, inbox_ids=5)
    assert deletes == [2, 2, 1, 2, 2, 1, 0]  # the last: no idempotency key expired
    assert await outbox_labels(engine) == {"kept"}
    assert await inbox_ids(engine) == set()


async def test_background_pruning_comes_back_every_interval(engine: AsyncEngine) -> None:
    await add_outbox_row(engine, "sent long ago", sent_ago=200)
    await add_outbox_row(engine, "sent lately", sent_ago=1)
    settings = SETTINGS.model_copy(update={"prune_interval_seconds": 0.2})

    async def old_row_gone() -> bool:
        return await outbox_labels(engine) == {"sent lately"}

    async with running(lambda: prune_periodically(engine, tables, settings)):
        await eventually(old_row_gone, within=10, what="the first round of pruning")
        # Rows that age past their retention later go in a later round.
        await add_outbox_row(engine, "sent long ago, found later", sent_ago=300)
        await eventually(old_row_gone, within=10, what="a later round of pruning")


def test_the_inbox_must_outlive_the_topics_retention() -> None:
    with pytest.raises(ValidationError, match="inbox_retention_hours"):
        ServiceSettings(service_name="probe", topic_retention_hours=800)
    assert ServiceSettings(service_name="probe").inbox_retention_hours >= (
        ServiceSettings(service_name="probe").topic_retention_hours
    )


async def test_topics_are_created_with_the_configured_retention(
    kafka_broker: Broker, topic_namespace: str
) -> None:
    settings = ServiceSettings(
        service_name="probe",
        **kafka_broker.login(SUPER_USER),
        topic_namespace=topic_namespace,
        topic_retention_hours=36,
    )
    await ensure_topics(settings, [PROBES])
    assert (await topic_configs(settings, PROBES))["retention.ms"] == str(36 * 3600 * 1000)
