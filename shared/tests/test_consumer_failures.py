"""Only a duplicate inbox key means "already applied"; every other failure is retried, then
dead-lettered. Against a real broker, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.testing.polling import eventually

from .conftest import (
    PROBES,
    Probe,
    ProbeHappened,
    as_record,
    claims,
    consumer_of,
    count_probe,
    pledges,
    produce,
    read_topic,
    running,
)

Clash = Callable[[UnitOfWork], Awaitable[None]]


async def claim_a_taken_name(uow: UnitOfWork) -> None:
    await uow.session.exec(insert(claims).values(name="taken"))


async def pledge_for_a_missing_sponsor(uow: UnitOfWork) -> None:
    await uow.session.exec(insert(pledges).values(sponsor_id="nobody"))


def clash_name(clash: Clash) -> str:
    return "in the handler" if clash is claim_a_taken_name else "at commit"


@pytest.mark.parametrize(
    "clash",
    [claim_a_taken_name, pledge_for_a_missing_sponsor],
    ids=["in the handler", "at commit"],
)
async def test_a_handler_s_own_constraint_violation_is_retried_then_dead_lettered(
    probe: Probe, clash: Clash
) -> None:
    async with probe.engine.begin() as connection:
        await connection.execute(insert(claims).values(name="taken"))
    tries: list[int] = []

    async def clashing(event: ProbeHappened, uow: UnitOfWork) -> None:
        tries.append(event.n)
        if event.n == 1:
            await clash(uow)
        await count_probe(event, uow)

    failing = Envelope.wrap(ProbeHappened(aggregate_id="clashes", n=1), "/test")
    after = Envelope.wrap(ProbeHappened(aggregate_id="clashes", n=2), "/test")
    # One key, one partition: the second event is consumed after the first gave up.
    await produce(probe.settings, [as_record(failing), as_record(after)])

    async with running(consumer_of(probe, clashing).run):
        await eventually(lambda: probe.has_tally("clashes"), what="the event after the clash")
        dead = await read_topic(probe.settings, dead_letter_topic("probe"), 1)

    # Fetched in one poll, both are applied in one transaction first. A clash in the handler
    # names its record: that try is its first attempt, two more follow alone. A clash at
    # commit names none: both handlers ran, and the records go one by one, three tries each.
    first_poll: dict[str, list[list[int]]] = {"in the handler": [[]], "at commit": [[1, 2], []]}
    assert tries[:-4] in first_poll[clash_name(clash)]
    assert tries[-4:] == [1, 1, 1, 2]
    assert await probe.tally("clashes") == 1
    assert [dict(r.headers)["ce_id"] for r in dead] == [failing.id.encode()]
    headers = dict(dead[0].headers)
    assert headers["dlq-error-type"] == b"IntegrityError"
    assert headers["dlq-attempts"] == b"3"
    assert not await in_inbox(probe, failing.id)


async def test_a_delivery_another_consumer_applied_meanwhile_is_skipped_once(
    probe: Probe,
) -> None:
    raced = Envelope.wrap(ProbeHappened(aggregate_id="raced", n=1), "/test")
    tries: list[int] = []

    async def racing(event: ProbeHappened, uow: UnitOfWork) -> None:
        tries.append(event.n)
        if event.n == 1:
            # The partition's owner before a rebalance commits the same event first.
            async with probe.engine.begin() as other:
                await other.execute(
                    insert(probe.tables.inbox).values(
                        event_id=raced.id,
                        event_type=raced.type,
                        topic=PROBES.qualified(probe.settings.topic_namespace),
                        partition=0,
                        offset=0,
                        applied_at=datetime.now(UTC),
                    )
                )
        await count_probe(event, uow)

    marker = Envelope.wrap(ProbeHappened(aggregate_id="raced", n=2, always_fail=True), "/test")
    await produce(probe.settings, [as_record(raced), as_record(marker)])

    async with running(consumer_of(probe, racing).run):
        # The marker fails for good and is dead-lettered; a dead-lettered race would be first.
        dead = await read_topic(probe.settings, dead_letter_topic("probe"), 1)

    assert [dict(r.headers)["ce_id"] for r in dead] == [marker.id.encode()]
    assert tries.count(1) == 1
    assert await probe.tally("raced") is None  # the other consumer's effects are its own
    assert await in_inbox(probe, raced.id)


async def in_inbox(probe: Probe, event_id: str) -> bool:
    async with probe.sessions() as s:
        found = await s.exec(select(func.count()).where(probe.tables.inbox.c.event_id == event_id))
        return found.one() == 1


async def test_an_event_waits_for_an_unreachable_database_without_spending_its_attempts(
    probe: Probe,
) -> None:
    outage_tries = probe.settings.consumer_max_attempts * 2
    tries: list[int] = []

    async def database_gone_for_a_while(event: ProbeHappened, uow: UnitOfWork) -> None:
        tries.append(event.n)
        if len(tries) <= outage_tries:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        await count_probe(event, uow)

    waiting = Envelope.wrap(ProbeHappened(aggregate_id="outage", n=1), "/test")
    await produce(probe.settings, [as_record(waiting)])

    async with running(consumer_of(probe, database_gone_for_a_while).run):
        await eventually(lambda: probe.has_tally("outage"), what="the event after the outage")

    assert len(tries) == outage_tries + 1
    assert await probe.tally("outage") == 1
    assert await in_inbox(probe, waiting.id)


async def test_a_failing_event_amid_a_poll_costs_its_neighbours_nothing(probe: Probe) -> None:
    tries: list[int] = []

    async def counting(event: ProbeHappened, uow: UnitOfWork) -> None:
        tries.append(event.n)
        await count_probe(event, uow)

    events = [
        Envelope.wrap(ProbeHappened(aggregate_id="amid", n=n, always_fail=n == 3), "/test")
        for n in range(1, 7)
    ]
    delivered_twice = events[4]
    # One key, one partition, one poll: the fifth event is delivered twice in a row.
    await produce(probe.settings, [as_record(e) for e in [*events[:5], delivered_twice, events[5]]])

    async with running(consumer_of(probe, counting).run):
        await eventually(lambda: tally_is(probe, "amid", 5), what="the five good events applied")
        dead = await read_topic(probe.settings, dead_letter_topic("probe"), 1)

    assert await probe.tally("amid") == 5  # each good event once, the repeated one too
    assert [dict(r.headers)["ce_id"] for r in dead] == [events[2].id.encode()]
    assert dict(dead[0].headers)["dlq-attempts"] == b"3"
    assert tries.count(3) == 3  # its failure in the batch was its first attempt
    assert tries.count(5) <= 2  # tried in the batch, applied once after the failure at most
    for applied in [*events[:2], *events[3:]]:
        assert await in_inbox(probe, applied.id)


async def tally_is(probe: Probe, aggregate_id: str, expected: int) -> bool:
    return await probe.tally(aggregate_id) == expected
