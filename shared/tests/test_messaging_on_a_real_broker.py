"""The outbox relay and the consumer runtime, against a real broker and real databases."""

from __future__ import annotations

import json
import uuid

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat
from sqlalchemy import func
from sqlmodel import select

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.testing.polling import eventually

from .conftest import (
    PROBES,
    Probe,
    ProbeHappened,
    RawRecord,
    as_record,
    consumer_of,
    produce,
    read_topic,
    running,
)


async def test_committed_events_reach_the_broker_as_cloudevents_in_order_per_key(
    probe: Probe,
) -> None:
    aggregates = [str(uuid.uuid4()) for _ in range(3)]
    async with running(probe.relay.run):
        for n in range(5):
            for aggregate in aggregates:
                async with probe.uow() as uow:
                    uow.publish(ProbeHappened(aggregate_id=aggregate, n=n))
                    await uow.commit()
        records = await read_topic(probe.settings, PROBES, 15, within=20)
        # Marked sent once the broker acknowledged them, which may trail our read a little.
        await eventually(lambda: _all_marked_sent(probe))

    assert len(records) == 15
    seen: dict[str, list[int]] = {}
    for record in records:
        event = from_binary(
            KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value),
            JSONFormat(),
        )
        assert event.get_specversion() == "1.0"
        assert event.get_type() == "multitrack.probe.happened.v1"
        assert event.get_source() == "/multitrack/probe"
        assert event.get_subject() == record.key.decode()
        data = event.get_data()
        assert isinstance(data, dict)
        assert data["aggregate_id"] == record.key.decode()
        seen.setdefault(record.key.decode(), []).append(data["n"])
    assert seen == {a: [0, 1, 2, 3, 4] for a in aggregates}


async def test_a_rolled_back_unit_of_work_publishes_nothing(probe: Probe) -> None:
    async with probe.uow() as uow:
        uow.publish(ProbeHappened(aggregate_id="gone", n=1))
        await uow.rollback()
    async with probe.sessions() as s:
        assert (await s.exec(select(func.count()).select_from(probe.tables.outbox))).one() == 0


async def test_rows_nobody_woke_the_relay_for_are_sent_by_the_polling_fallback(
    probe: Probe,
) -> None:
    settings = probe.settings.model_copy(update={"relay_poll_seconds": 0.3})
    relay = OutboxRelay(settings, probe.engine, probe.tables)
    # Rows written as if the process had crashed between its commit and the wake-up.
    async with probe.sessions() as s:
        await Outbox(probe.tables, settings.event_source).write(
            s, [ProbeHappened(aggregate_id="left-behind", n=n) for n in range(3)]
        )
        await s.commit()
    async with running(relay.run):
        records = await read_topic(settings, PROBES, 3)
    assert [r.key for r in records] == [b"left-behind"] * 3


async def test_an_event_delivered_twice_takes_effect_once(probe: Probe) -> None:
    once = Envelope.wrap(ProbeHappened(aggregate_id="twice", n=1), "/test")
    marker = Envelope.wrap(ProbeHappened(aggregate_id="twice-done", n=2), "/test")
    # The marker shares the key, so the same partition: it is consumed after both copies.
    await produce(
        probe.settings, [as_record(once), as_record(once), (b"twice", *as_record(marker)[1:])]
    )

    async with running(consumer_of(probe).run):
        await eventually(lambda: probe.has_tally("twice-done"))

    assert await probe.tally("twice") == 1
    async with probe.sessions() as s:
        inbox = await s.exec(select(func.count()).where(probe.tables.inbox.c.event_id == once.id))
        assert inbox.one() == 1


async def test_poison_and_failing_events_go_to_the_dead_letter_topic_and_consumption_goes_on(
    probe: Probe,
) -> None:
    failing = Envelope.wrap(ProbeHappened(aggregate_id="fails", n=1, always_fail=True), "/test")
    good = Envelope.wrap(ProbeHappened(aggregate_id="after", n=2), "/test")
    invalid = Envelope.wrap(ProbeHappened(aggregate_id="invalid", n=3), "/test")
    invalid_record = as_record(invalid)
    garbage: RawRecord = (b"after", b"\x00not a cloudevent", [])
    # Same key as the good event: same partition, so it is consumed after both bad ones.
    await produce(
        probe.settings,
        [
            garbage,
            (b"after", *as_record(failing)[1:]),
            (
                invalid_record[0],
                b'{"aggregate_id": "invalid", "n": "not a number"}',
                invalid_record[2],
            ),
            (b"after", *as_record(good)[1:]),
        ],
    )

    async with running(consumer_of(probe).run):
        await eventually(lambda: probe.has_tally("after"))
        dead = await read_topic(probe.settings, dead_letter_topic("probe"), 3)

    assert await probe.tally("fails") is None
    assert await probe.tally("invalid") is None
    assert await probe.tally("after") == 1
    assert len(dead) == 3
    by_reason = {dict(r.headers)["dlq-error-type"].decode(): dict(r.headers) for r in dead}
    assert set(by_reason) == {"UndecodableEvent", "RuntimeError", "ValidationError"}
    failed = by_reason["RuntimeError"]
    assert b"always fails" in failed["dlq-error"]
    assert failed["dlq-attempts"] == b"3"
    assert failed["dlq-origin-topic"] == PROBES.qualified(probe.settings.topic_namespace).encode()
    assert failed["ce_id"] == failing.id.encode()
    assert by_reason["UndecodableEvent"]["dlq-attempts"] == b"1"


async def _all_marked_sent(probe: Probe) -> bool:
    async with probe.sessions() as s:
        unsent = await s.exec(select(func.count()).where(probe.tables.outbox.c.sent_at.is_(None)))
        return unsent.one() == 0


@pytest.mark.parametrize("probe", ["postgresql"], indirect=True)
async def test_two_relays_on_one_database_send_each_event_once_and_in_order(probe: Probe) -> None:
    keys = [f"replica-{k}" for k in range(4)]
    async with probe.sessions() as s:
        await Outbox(probe.tables, probe.settings.event_source).write(
            s, [ProbeHappened(aggregate_id=key, n=n) for n in range(10) for key in keys]
        )
        await s.commit()
    first = OutboxRelay(probe.settings, probe.engine, probe.tables)
    second = OutboxRelay(probe.settings, probe.engine, probe.tables)
    first.wake()
    second.wake()

    async with running(first.run), running(second.run):
        # Ask for more than were written: a duplicate would show up as a 41st record.
        records = await read_topic(probe.settings, PROBES, 41, within=8)

    assert len(records) == 40
    by_key: dict[str, list[int]] = {}
    for record in records:
        by_key.setdefault(record.key.decode(), []).append(json.loads(record.value)["n"])
    assert by_key == {key: list(range(10)) for key in keys}
