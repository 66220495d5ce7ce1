"""A broker outage never loses an accepted write: the outbox holds events until it is back."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import INVITATIONS
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

INVITATIONS_WHILE_DOWN = 12
LIFECYCLE = [
    "multitrack.invitation.received.v2",
    "multitrack.invitation.assessed.v1",
    "multitrack.invitation.accepted.v2",
]


async def invitation_events(broker: Broker, topic: str, expected: int) -> dict[str, list[str]]:
    """Every event on the invitations topic, as event types in offset order per key, read by
    the operator."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **broker.client_options(OPERATOR))
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(INVITATIONS.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        per_key: dict[str, list[str]] = defaultdict(list)
        seen = 0
        deadline = asyncio.get_running_loop().time() + 90
        while seen < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    envelope = Envelope.from_kafka(record.headers, record.key, record.value)
                    per_key[envelope.subject].append(envelope.type)
                    seen += 1
        return per_key
    finally:
        await consumer.stop()


async def test_invitations_made_while_the_broker_is_down_all_arrive_in_order_once_it_is_back(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    if not kafka_broker.controllable:
        pytest.skip("needs a broker this test can stop: unset KAFKA_BOOTSTRAP_SERVERS")
    platform = await start_platform()
    invitations = platform.url("invitations")
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:
        body = invitation_body()

        async def ready() -> bool:
            return (await http.get(f"{invitations}/health/ready")).status_code == 200

        await eventually(ready, what="invitations ready")
        kafka_broker.stop()
        try:
            assert (await http.get(f"{invitations}/health/ready")).status_code == 503
            ids = []
            for _ in range(INVITATIONS_WHILE_DOWN):
                created = await http.post(f"{invitations}/invitations", json=body)
                assert created.status_code == 201, created.text
                ids.append(created.json()["id"])
                assessed = await http.put(
                    f"{invitations}/invitations/{ids[-1]}/assessment", json=assessment_body()
                )
                assert assessed.status_code == 200, assessed.text
                accepted = await http.post(
                    f"{invitations}/invitations/{ids[-1]}/decision", json=acceptance_body()
                )
                assert accepted.status_code == 200, accepted.text
        finally:
            kafka_broker.start()

        per_key = await invitation_events(
            kafka_broker,
            INVITATIONS.qualified(topic_namespace),
            expected=len(ids) * len(LIFECYCLE),
        )
        assert {key: per_key.get(key) for key in ids} == dict.fromkeys(ids, LIFECYCLE)

        async def all_opened() -> bool:
            listed = await http.get(
                f"{platform.url('engagements')}/engagements", params={"limit": 100}
            )
            return {e["invitation_id"] for e in listed.json()} == set(ids)

        await eventually(all_opened, within=90, what="an engagement for every invitation")
