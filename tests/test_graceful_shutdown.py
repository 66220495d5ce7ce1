"""SIGTERM under load: a service stops taking requests, answers those in flight, finishes the
event in hand, commits its offset, sends what its outbox holds and exits, in bounded time;
once restarted, no event is lost, none reaches a topic twice, none is applied twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time
from collections import Counter, defaultdict
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import ENGAGEMENTS, INVITATIONS, TopicSpec
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform, ServiceProcess
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform
from .test_broker_outage import LIFECYCLE

WORKERS = 3
BOUND_SECONDS = 40
"""uvicorn's grace for requests in flight, then ``MULTITRACK_SHUTDOWN_SECONDS``, with room."""


class Load:
    """Workers that receive, assess and accept invitations until told to stop; an invitation
    counts as accepted only when the acceptance answered 200."""

    def __init__(self, http: httpx.AsyncClient, url: str) -> None:
        self.http, self.url = http, url
        self.accepted: list[str] = []
        self.stopping = False

    async def work(self) -> None:
        while not self.stopping:
            try:
                created = await self.http.post(f"{self.url}/invitations", json=invitation_body())
                invitation = created.json()["id"]
                path = f"{self.url}/invitations/{invitation}"
                await self.http.put(f"{path}/assessment", json=assessment_body())
                decided = await self.http.post(f"{path}/decision", json=acceptance_body())
            except (httpx.TransportError, KeyError, ValueError):
                await asyncio.sleep(0.2)  # the service is away: nothing was accepted
                continue
            if decided.status_code == 200:
                self.accepted.append(invitation)

    async def until(self, count: int) -> None:
        async def enough() -> bool:
            return len(self.accepted) >= count

        await eventually(enough, within=120, what=f"{count} invitations accepted")


async def terminate(service: ServiceProcess) -> None:
    """SIGTERM: the service says it stopped cleanly, and exits within the bound."""
    assert service.process is not None
    started = time.monotonic()
    service.process.send_signal(signal.SIGTERM)
    status = await asyncio.to_thread(service.process.wait, BOUND_SECONDS + 20)
    took = time.monotonic() - started
    # uvicorn raises the signal again once it has shut down, so the status names it.
    assert status in (0, -signal.SIGTERM), (status, service.log_tail())
    assert took < BOUND_SECONDS, took
    (stopped,) = [line for line in lines_of(service) if line.get("event") == "service stopped"][-1:]
    assert stopped["finished_in_time"] is True, stopped


def lines_of(service: ServiceProcess) -> list[dict[str, Any]]:
    """The service's log lines that are JSON objects (uvicorn's own are not)."""
    lines = []
    for line in service.log_path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            parsed = json.loads(line)
            if isinstance(parsed, dict):
                lines.append(parsed)
    return lines


async def restart(service: ServiceProcess) -> None:
    service.start()
    await asyncio.to_thread(service.wait_live, 180)


async def test_sigterm_under_load_loses_no_event_and_applies_none_twice(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    platform = await start_platform({"MULTITRACK_SHUTDOWN_SECONDS": "15"})
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:
        load = Load(http, platform.url("invitations"))
        workers = [asyncio.ensure_future(load.work()) for _ in range(WORKERS)]
        try:
            await load.until(5)
            # The consumer of every accepted invitation, with events in hand and in its outbox.
            await terminate(platform.services["engagements"])
            await restart(platform.services["engagements"])
            await load.until(len(load.accepted) + 5)
            # The service taking the requests, with requests in flight and rows to send.
            await terminate(platform.services["invitations"])
        finally:
            load.stopping = True
            for worker in workers:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
        await restart(platform.services["invitations"])
        accepted = list(load.accepted)

        opened = await every_acceptance_opened_once(http, platform, accepted)

    per_key = await events_to_the_end(kafka_broker, INVITATIONS, topic_namespace)
    assert {key: per_key.get(key) for key in accepted} == dict.fromkeys(accepted, LIFECYCLE)
    engagement_events = await events_to_the_end(kafka_broker, ENGAGEMENTS, topic_namespace)
    openings = Counter(
        key
        for key, types in engagement_events.items()
        for kind in types
        if kind == "multitrack.engagement.opened.v1"
    )
    assert openings == Counter(dict.fromkeys(opened, 1))


async def events_to_the_end(
    broker: Broker, topic: TopicSpec, namespace: str
) -> dict[str, list[str]]:
    """Every event on ``topic``, to its end, as event types in offset order per key."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **broker.client_options(OPERATOR))
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic.qualified(namespace), p) for p in range(topic.partitions)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        per_key: dict[str, list[str]] = defaultdict(list)
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    envelope = Envelope.from_kafka(record.headers, record.key, record.value)
                    per_key[envelope.subject].append(envelope.type)
        return per_key
    finally:
        await consumer.stop()


async def every_acceptance_opened_once(
    http: httpx.AsyncClient, platform: Platform, accepted: list[str]
) -> list[str]:
    """The engagements opened from ``accepted``: one for each, and none twice."""

    async def all_opened() -> list[dict[str, str]] | None:
        listed = await http.get(f"{platform.url('engagements')}/engagements", params={"limit": 500})
        engagements: list[dict[str, str]] = listed.json()
        opened = {e["invitation_id"] for e in engagements}
        return engagements if set(accepted) <= opened else None

    engagements = await eventually(all_opened, within=120, what="every acceptance opened")
    per_invitation = Counter(e["invitation_id"] for e in engagements)
    assert all(count == 1 for count in per_invitation.values()), per_invitation
    return [e["id"] for e in engagements]
