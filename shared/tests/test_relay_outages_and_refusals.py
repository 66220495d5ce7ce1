"""The outbox relay backs off while the broker is out of reach, whatever wakes it, and sets
aside a record the broker refuses for good, so that the rows behind it still flow."""

from __future__ import annotations

import asyncio
import json
from itertools import pairwise
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.parked import parked_events, resend_parked
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.testing.paths import free_port
from multitrack_shared.testing.polling import eventually

from .conftest import PROBES, Probe, ProbeHappened, read_topic, running, set_topic_configs


class CountedRelay(OutboxRelay):
    """Notes the moment each attempt starts."""

    attempts: list[float]

    async def publish_batch(self) -> int:
        self.attempts.append(asyncio.get_running_loop().time())
        return await super().publish_batch()


async def test_an_unreachable_broker_is_retried_on_the_back_off_schedule_however_often_woken(
    probe: Probe,
) -> None:
    settings = probe.settings.model_copy(
        update={
            "kafka_bootstrap_servers": f"127.0.0.1:{free_port()}",  # nothing listens there
            "relay_max_backoff_seconds": 1.5,
        }
    )
    relay = CountedRelay(settings, probe.engine, probe.tables)
    relay.attempts = []
    outbox = Outbox(probe.tables, settings.event_source)
    writes = 0
    deadline = asyncio.get_running_loop().time() + 60
    async with running(relay.run):
        # Every commit wakes the relay, as in a service taking writes during an outage.
        while len(relay.attempts) < 6:
            assert asyncio.get_running_loop().time() < deadline, "the relay stopped trying"
            async with UnitOfWork(probe.sessions, outbox, relay.wake) as uow:
                uow.publish(ProbeHappened(aggregate_id="held", n=writes))
                await uow.commit()
            writes += 1

    gaps = [later - earlier for earlier, later in pairwise(relay.attempts[:6])]
    # Half a second, doubling, capped at 1.5 s; an attempt's own time only adds to a gap.
    schedule = [0.5, 1.0, 1.5, 1.5, 1.5]
    assert all(gap >= wait - 0.02 for gap, wait in zip(gaps, schedule, strict=True)), gaps
    assert all(gap < wait + 2.0 for gap, wait in zip(gaps, schedule, strict=True)), gaps
    assert writes > 10 * len(relay.attempts), (writes, len(relay.attempts))
    async with probe.sessions() as s:
        unsent = await s.exec(select(func.count()).where(probe.tables.outbox.c.sent_at.is_(None)))
        assert unsent.one() == writes  # every accepted write still waits to leave


async def test_a_record_the_broker_refuses_for_good_is_parked_and_the_rows_behind_it_flow(
    probe: Probe,
) -> None:
    await set_topic_configs(probe.settings, PROBES, {"max.message.bytes": "8192"})
    settings = probe.settings.model_copy(update={"relay_poll_seconds": 0.5})
    relay = OutboxRelay(settings, probe.engine, probe.tables)
    oversized = ProbeHappened(aggregate_id="big", n=1, padding="x" * 20_000)
    async with probe.sessions() as s:
        await Outbox(probe.tables, settings.event_source).write(
            s,
            [
                ProbeHappened(aggregate_id="big", n=0),
                oversized,
                ProbeHappened(aggregate_id="big", n=2),
                ProbeHappened(aggregate_id="small", n=0),
                ProbeHappened(aggregate_id="small", n=1),
            ],
        )
        await s.commit()

    async with running(relay.run):
        before_resend = await read_topic(settings, PROBES, 4)
        parked = await eventually(lambda: parked_events(probe.engine, probe.tables))

        assert [p.message_key for p in parked] == ["big"]
        assert parked[0].event_type == oversized.event_type
        assert parked[0].park_error.startswith("MessageSizeTooLargeError")
        assert keys_and_numbers(before_resend) == {"big": [0, 2], "small": [0, 1]}

        await set_topic_configs(probe.settings, PROBES, {"max.message.bytes": "1048588"})
        assert await resend_parked(probe.engine, probe.tables, [parked[0].event_id]) == 1
        assert await parked_events(probe.engine, probe.tables) == []
        after_resend = await read_topic(settings, PROBES, 5)

    # The refused event arrives after its successors of the same key, as documented.
    assert keys_and_numbers(after_resend) == {"big": [0, 2, 1], "small": [0, 1]}


def keys_and_numbers(records: list[Any]) -> dict[str, list[int]]:
    by_key: dict[str, list[int]] = {}
    for record in records:
        by_key.setdefault(record.key.decode(), []).append(json.loads(record.value)["n"])
    return by_key


async def test_a_relay_woken_as_it_is_stopped_stops(probe: Probe) -> None:
    """A commit's wake-up and the service's shutdown in the same turn of the event loop: the
    stop must not be lost (the relay would then rest and poll for ever)."""
    relay = OutboxRelay(probe.settings, probe.engine, probe.tables)
    task = asyncio.ensure_future(relay.run())
    await asyncio.sleep(0.2)  # the relay has sent nothing and rests until woken

    relay.wake()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=10)

    assert done == {task}, "the relay went on after it was stopped"
    assert task.cancelled()
