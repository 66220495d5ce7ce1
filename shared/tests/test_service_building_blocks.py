"""The small pieces every service is built from: UTC instants, not-found lookups, declared
repositories, copies of consumed events through the outbox, read-model declarations and the
minimum commitment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from pydantic import BaseModel, ValidationError
from sqlalchemy import MetaData
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, select

from multitrack_shared.commitment import (
    MIN_COMMITMENT_YEARS,
    CommitmentTooShort,
    require_commitment,
)
from multitrack_shared.db.engine import create_engine, session_factory
from multitrack_shared.db.read_models import read_models
from multitrack_shared.db.uow import Repository, UnitOfWork
from multitrack_shared.errors import NotFound, found
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.outbox import Outbox, copy_id
from multitrack_shared.messaging.tables import messaging_tables
from multitrack_shared.messaging.topics import PARTNER_FEED
from multitrack_shared.times import utc
from multitrack_shared.tracing import current_trace_context
from multitrack_shared.validation import CommitmentYears


def test_a_naive_instant_is_taken_as_utc_and_an_aware_one_is_converted_to_utc() -> None:
    bogota = timezone(timedelta(hours=-5))

    assert utc(datetime(2025, 3, 1, 9, 30)) == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert utc(datetime(2025, 3, 1, 9, 30, tzinfo=bogota)).tzinfo is UTC
    assert utc(datetime(2025, 3, 1, 9, 30, tzinfo=bogota)).hour == 14
    assert utc(None) is None


def test_found_returns_what_was_found_and_otherwise_names_the_field() -> None:
    assert found(0, "no zero", field="count") == 0

    with pytest.raises(NotFound) as raised:
        found(None, "no invitation inv-1", field="invitation_id")

    assert raised.value.field == "invitation_id"
    assert raised.value.message == "no invitation inv-1"
    assert raised.value.status_code == 404


class Notes:
    def __init__(self, session: Any) -> None:
        self.session = session


class NotesUnitOfWork(UnitOfWork):
    notes = Repository(Notes)


def a_unit_of_work() -> NotesUnitOfWork:
    # An engine connects only when a session first queries: these units never do.
    sessions = session_factory(create_engine("sqlite+aiosqlite:///:memory:"))
    outbox = Outbox(messaging_tables(MetaData()), source="notes")
    return NotesUnitOfWork(sessions, outbox, after_commit=lambda: None)


async def test_a_declared_repository_is_built_on_the_session_each_time_the_unit_opens() -> None:
    uow = a_unit_of_work()

    async with uow:
        first = uow.notes
        assert first.session is uow.session
    async with uow:
        assert uow.notes is not first
        assert uow.notes.session is uow.session


def test_a_declared_repository_is_refused_before_the_unit_is_opened() -> None:
    with pytest.raises(RuntimeError, match=r"uow\.notes"):
        _ = a_unit_of_work().notes


async def test_copies_of_consumed_events_are_written_at_commit_each_in_its_own_trace(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/notes.db")
    tables = messaging_tables(MetaData())
    async with engine.begin() as connection:
        await connection.run_sync(tables.outbox.metadata.create_all)
    uow = NotesUnitOfWork(session_factory(engine), Outbox(tables, source="notes"), lambda: None)
    consumed = [
        Envelope(id=f"ev-{n}", type="t.v1", source="/s", subject=f"s-{n}", time=NOW, data={})
        for n in (1, 2)
    ]
    tracer = TracerProvider().get_tracer(__name__)
    traces = []

    async with uow:
        for envelope in consumed:
            with tracer.start_as_current_span(envelope.id):
                uow.forward(envelope, PARTNER_FEED)
                traces.append(current_trace_context())
            await uow.stage()  # as the consumer runtime does after each event of a poll
        assert (await uow.session.exec(select(tables.outbox.c.event_id))).all() == []
        await uow.commit()

    async with engine.connect() as connection:
        outbox = tables.outbox.c
        written = select(outbox.event_id, outbox.topic, outbox.trace_context).order_by(outbox.seq)
        rows = (await connection.execute(written)).all()
    await engine.dispose()
    assert [tuple(row) for row in rows] == [
        (copy_id(e.id, PARTNER_FEED), PARTNER_FEED.name, trace)
        for e, trace in zip(consumed, traces, strict=True)
    ]
    assert traces[0]["traceparent"] != traces[1]["traceparent"]


NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class ProbeTable(SQLModel, registry=registry()):
    pass


class ProbeRow(ProbeTable, table=True):
    __tablename__ = "probes"

    id: str = Field(primary_key=True)


def test_read_models_are_declared_by_their_row_classes() -> None:
    assert [table.name for table in read_models(ProbeRow)] == ["probes"]

    with pytest.raises(TypeError, match="ProbeTable"):
        read_models(ProbeTable)


def test_the_minimum_commitment_is_kept_and_anything_shorter_refused() -> None:
    assert require_commitment(MIN_COMMITMENT_YEARS) == MIN_COMMITMENT_YEARS

    for years in (None, 0, MIN_COMMITMENT_YEARS - 1):
        with pytest.raises(CommitmentTooShort) as raised:
            require_commitment(years)
        assert raised.value.code == "commitment_too_short"
        assert raised.value.field == "commitment_years"


class Decision(BaseModel):
    commitment_years: CommitmentYears


def test_a_body_under_the_minimum_is_refused_with_the_domains_rule_and_message() -> None:
    with pytest.raises(ValidationError) as raised:
        Decision(commitment_years=MIN_COMMITMENT_YEARS - 1)

    (problem,) = raised.value.errors()
    assert problem["type"] == CommitmentTooShort.code
    assert problem["msg"] == CommitmentTooShort().message
    assert Decision(commitment_years=MIN_COMMITMENT_YEARS).commitment_years == MIN_COMMITMENT_YEARS
