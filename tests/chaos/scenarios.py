"""The faults, one per scenario. Each acts while the workload runs and returns once repaired;
a fault lasts until the workload has met it for a number of writes, never for a set time."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Callable
from typing import Any

from multitrack_shared.messaging.topics import INVITATIONS
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import ServiceProcess

from .harness import Chaos, Scenario
from .infrastructure import kill_broker
from .reconcile import connect, execute, rows, topic_records
from .workload import ACCEPTED, Outcome


async def broker_stopped(chaos: Chaos) -> None:
    """A graceful stop: the services keep accepting writes, their outboxes hold the events."""
    await _broker_down(chaos, chaos.broker.stop)


async def broker_killed(chaos: Chaos) -> None:
    """SIGKILL: no flush, no goodbye to the clients."""
    await _broker_down(chaos, lambda: kill_broker(chaos.broker))


async def _broker_down(chaos: Chaos, take_down: Callable[[], None]) -> None:
    await asyncio.to_thread(take_down)
    try:
        await _broker_seen_gone(chaos)
        await chaos.workload.until_accepted(chaos.scale.during)
    finally:
        await asyncio.to_thread(chaos.broker.start)


async def _broker_seen_gone(chaos: Chaos) -> None:
    """The fault reached the producer: its health says the broker is unavailable."""

    async def gone() -> bool:
        health = await chaos.workload.http.get(f"{chaos.platform.url('invitations')}/health")
        return bool(health.json()["broker"]["status"] == "unavailable")

    await eventually(gone, within=60, what="the producer sees the broker gone")


async def postgres_restarted(chaos: Chaos) -> None:
    """While the database is down a write is refused with 503 and the error body."""
    refused_before = _refusals(chaos)
    await asyncio.to_thread(chaos.postgres.stop)
    try:

        async def refused_while_down() -> bool:
            return _refusals(chaos) >= refused_before + chaos.scale.during

        await eventually(refused_while_down, within=60, what="writes refused while down")
    finally:
        await asyncio.to_thread(chaos.postgres.start)


def _refusals(chaos: Chaos) -> int:
    return sum(w.outcome is Outcome.refused and w.status == 503 for w in chaos.workload.writes)


async def consumer_killed(chaos: Chaos) -> None:
    """The consumer SIGKILLed with an event applied and its offset not yet committed, again
    and again, restarted each time: the group hands that event out again, the inbox absorbs it."""
    consumer = chaos.service("engagements")
    for _ in range(chaos.scale.repeats):
        await chaos.workload.until_accepted(chaos.scale.during)
        await _kill_with_offset_in_flight(chaos, consumer)
        consumer.start()
        await asyncio.to_thread(consumer.wait_live)


async def rebalance_storm(chaos: Chaos) -> None:
    """Consumers of the one group join and leave in a loop while events flow; every other
    one leaves by SIGKILL with an applied event's offset in flight, which its partition's next
    owner is handed again."""
    for round_ in range(chaos.scale.repeats):
        joining = chaos.another("engagements")
        joining.start()
        await asyncio.to_thread(joining.wait_live)
        await chaos.workload.until_accepted(chaos.scale.during)
        if round_ % 2:
            await _kill_with_offset_in_flight(chaos, joining)
        else:
            await asyncio.to_thread(joining.stop)


IN_FLIGHT_WITHIN = 5.0
"""Seconds a consumer has, once the broker link is held, to apply one more event."""


async def _kill_with_offset_in_flight(chaos: Chaos, consumer: ServiceProcess) -> None:
    """SIGKILL ``consumer`` mid-batch, between applying an event and committing its offset.

    The broker link is held: a consumer applying an event (its database is reached
    directly) commits it to the inbox, then waits on the offset commit, which the link keeps.
    Once the inbox shows an event applied since, the process is killed and the link cut,
    so that the held commit dies with it rather than reach the broker late."""
    inbox = chaos.reconciler.databases["engagements"]
    chaos.broker_link.hold()
    try:
        applied = await _inbox_size(inbox)

        async def one_more_applied() -> bool:
            return await _inbox_size(inbox) > applied

        with contextlib.suppress(AssertionError):  # none in hand: killed all the same
            await eventually(one_more_applied, within=IN_FLIGHT_WITHIN, what="one more applied")
        assert consumer.process is not None
        consumer.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(consumer.process.wait, 30)
        chaos.broker_link.cut()
    finally:
        chaos.broker_link.restore()


async def _inbox_size(database: str) -> int:
    return int((await rows(database, "SELECT count(*) AS n FROM inbox"))[0]["n"])


async def database_link_slow(chaos: Chaos) -> None:
    """Every chunk to and from the database late: writes slow down, none is lost or doubled."""
    chaos.link.slow(0.15)
    try:
        await chaos.workload.until_accepted(chaos.scale.during, within=180)
    finally:
        chaos.link.restore()


async def database_link_cut(chaos: Chaos) -> None:
    """Every connection to the database reset, and new ones refused, until repaired."""
    refused_before = _refusals(chaos)
    chaos.link.cut()
    try:

        async def refused_while_cut() -> bool:
            return _refusals(chaos) >= refused_before + chaos.scale.during

        await eventually(refused_while_cut, within=60, what="writes refused while cut")
    finally:
        chaos.link.restore()


async def broker_link_slow(chaos: Chaos) -> None:
    """Every chunk to and from the broker late: events trail the writes, none is lost."""
    chaos.broker_link.slow(0.1)
    try:
        await chaos.workload.until_accepted(chaos.scale.during)
    finally:
        chaos.broker_link.restore()


async def broker_link_cut(chaos: Chaos) -> None:
    """Every connection to the broker reset, new ones refused: the outboxes hold the events."""
    chaos.broker_link.cut()
    try:
        await _broker_seen_gone(chaos)
        await chaos.workload.until_accepted(chaos.scale.during)
    finally:
        chaos.broker_link.restore()


MARK_HELD = 7_351_204
"""The advisory lock the outbox's mark waits on while a relay is caught (not the relay's own)."""

HOLD_THE_MARK = f"""
CREATE FUNCTION mark_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock({MARK_HELD}); RETURN NEW; END $$;
CREATE TRIGGER mark_held BEFORE UPDATE OF sent_at ON outbox FOR EACH ROW
WHEN (OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL) EXECUTE FUNCTION mark_held();
"""
LET_THE_MARK_GO = "DROP TRIGGER mark_held ON outbox; DROP FUNCTION mark_held();"


async def relay_killed(chaos: Chaos) -> None:
    """The producing service SIGKILLed after the broker took events and before their outbox
    rows were marked sent: the restarted relay sends them again, and the inbox absorbs them.

    The catch is made in the database, not left to timing: while the test holds an advisory
    lock, a trigger makes the relay's mark wait on it. The relay reads its rows, sends them and
    waits; once the topic shows events whose rows are still unsent, the process is killed, and
    the waiting transaction is ended before the lock is let go, so the mark never lands."""
    producer = chaos.service("invitations")
    database = chaos.reconciler.databases["invitations"]
    for _ in range(chaos.scale.repeats):
        async with _mark_held(database):
            await chaos.workload.until_accepted(1)
            await eventually(
                lambda: _sent_but_unmarked(chaos), within=60, what="events sent and not marked"
            )
            assert producer.process is not None
            producer.process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(producer.process.wait, 30)
        producer.start()
        await asyncio.to_thread(producer.wait_live)


@contextlib.asynccontextmanager
async def _mark_held(database_url: str) -> AsyncIterator[None]:
    """Marks of the outbox wait while inside; on leaving, the marks still waiting are ended
    with their transactions, and the outbox is as before."""
    holder = await connect(database_url)
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", MARK_HELD)
        await holder.execute(HOLD_THE_MARK)
        try:
            yield
        finally:
            await holder.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks"
                " WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
                MARK_HELD,
            )
            await holder.execute(LET_THE_MARK_GO)
    finally:
        await holder.close()  # the session's lock goes with it


async def _sent_but_unmarked(chaos: Chaos) -> bool:
    """Whether some unsent outbox row's event is on the topic."""
    reconciler = chaos.reconciler
    unsent = await rows(
        reconciler.databases["invitations"],
        "SELECT event_id FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL",
    )
    if not unsent:
        return False
    on_topic = await topic_records(reconciler.broker, INVITATIONS, reconciler.namespace)
    return bool({row["event_id"] for row in unsent} & {r.id for r in on_topic})


POISON = """
CREATE FUNCTION poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'poisoned invitation %', NEW.invitation_id; END $$;
CREATE TRIGGER poison BEFORE INSERT ON engagements FOR EACH ROW
WHEN (right(NEW.invitation_id, 1) IN ('0', '1', '2', '3')) EXECUTE FUNCTION poisoned();
"""
CURE = "DROP TRIGGER poison ON engagements; DROP FUNCTION poisoned();"


async def poison_events(chaos: Chaos) -> None:
    """A quarter of the acceptances cannot be applied (the consumer's database refuses them):
    each is tried a bounded number of times and dead-lettered while the acceptances behind it
    on its partition are applied; once the cause is removed, a replay applies every one."""
    engagements = chaos.reconciler.databases["engagements"]
    consumer = chaos.platform.url("engagements")
    await execute(engagements, POISON)
    try:
        opened_before = len(await rows(engagements, "SELECT id FROM engagements"))

        async def dead_lettered_and_flowing() -> bool:
            letters = await _dead_letters(chaos, consumer)
            opened = len(await rows(engagements, "SELECT id FROM engagements"))
            return len(letters) >= 2 and opened >= opened_before + chaos.scale.during

        await eventually(dead_lettered_and_flowing, within=120, what="poison dead-lettered")
    finally:
        await execute(engagements, CURE)

    async def every_letter_applied() -> bool:
        replayed = await chaos.workload.http.post(
            f"{consumer}/operations/dead-letters/replay",
            json={"event_type": ACCEPTED},
            auth=chaos.admin,
        )
        assert replayed.status_code == 200, replayed.text
        letters = await _dead_letters(chaos, consumer)
        return all(letter["applied_at"] is not None for letter in letters)

    await eventually(every_letter_applied, within=60, what="every dead letter replayed")


async def _dead_letters(chaos: Chaos, consumer: str) -> list[dict[str, Any]]:
    answer = await chaos.workload.http.get(f"{consumer}/operations/dead-letters", auth=chaos.admin)
    assert answer.status_code == 200, answer.text
    letters: list[dict[str, Any]] = answer.json()["dead_letters"]
    return letters


SCENARIOS = [
    Scenario("broker-stopped", broker_stopped),
    Scenario("broker-killed", broker_killed),
    Scenario("postgres-restarted", postgres_restarted),
    Scenario("consumer-killed", consumer_killed, redelivers=True),
    Scenario("rebalance-storm", rebalance_storm, redelivers=True),
    Scenario("relay-killed", relay_killed, sends_twice=True),
    Scenario("poison-events", poison_events),
    Scenario("broker-link-slow", broker_link_slow),
    Scenario("broker-link-cut", broker_link_cut),
    Scenario("database-link-slow", database_link_slow, database_link=True),
    Scenario("database-link-cut", database_link_cut, database_link=True),
]
