"""The faults, one per scenario. Each acts while the workload runs and returns once repaired;
a fault lasts until the workload has met it for a number of writes, never for a set time."""

from __future__ import annotations

import asyncio
import signal

from multitrack_shared.testing.polling import eventually

from .harness import Chaos, Scenario
from .infrastructure import kill_broker
from .workload import Outcome


async def broker_stopped(chaos: Chaos) -> None:
    """A graceful stop: the services keep accepting writes, their outboxes hold the events."""
    await asyncio.to_thread(chaos.broker.stop)
    try:
        await chaos.workload.until_accepted(chaos.scale.during)
    finally:
        await asyncio.to_thread(chaos.broker.start)


async def broker_killed(chaos: Chaos) -> None:
    """SIGKILL: no flush, no goodbye to the clients."""
    await asyncio.to_thread(kill_broker, chaos.broker)
    try:
        await chaos.workload.until_accepted(chaos.scale.during)
    finally:
        await asyncio.to_thread(chaos.broker.start)


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
    """The consumer SIGKILLed with events in hand, again and again, restarted each time."""
    consumer = chaos.service("engagements")
    for _ in range(chaos.scale.repeats):
        await chaos.workload.until_accepted(chaos.scale.during)
        assert consumer.process is not None
        consumer.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(consumer.process.wait, 30)
        consumer.start()
        await asyncio.to_thread(consumer.wait_live)


async def rebalance_storm(chaos: Chaos) -> None:
    """Consumers of the one group join and leave in a loop while events flow."""
    for _ in range(chaos.scale.repeats):
        joining = chaos.another("engagements")
        joining.start()
        await asyncio.to_thread(joining.wait_live)
        await chaos.workload.until_accepted(chaos.scale.during)
        await asyncio.to_thread(joining.stop)


SCENARIOS = [
    Scenario("broker-stopped", broker_stopped),
    Scenario("broker-killed", broker_killed),
    Scenario("postgres-restarted", postgres_restarted),
    Scenario("consumer-killed", consumer_killed),
    Scenario("rebalance-storm", rebalance_storm),
]
