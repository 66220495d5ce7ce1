"""Fifty contradictory decisions on one invitation, across four processes and a real broker:
one decision is taken, one decision event reaches the broker, and the engagements service
opens an engagement only if that decision was to accept."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import INVITATIONS, in_namespace
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.races import sent_together, until_overlapped
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

ACCEPTED = "multitrack.invitation.accepted.v2"
DECLINED = "multitrack.invitation.declined.v2"
DECISIONS = {ACCEPTED, DECLINED}
STORM = 50
DECLINE = {"outcome": "decline", "rationale": "Outside our mandate.", "decided_by": "board"}


@dataclass(frozen=True)
class Published:
    type: str
    subject: str
    partition: TopicPartition
    offset: int


async def published_through(broker: Broker, topic: str, marker: str) -> list[Published]:
    """Every event on ``topic`` up to the ends it had once ``marker`` was received there.

    The relay sends outbox rows in the order they were written, so once the marker (written
    after everything else) is on the broker, so is everything written before it.
    """
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **broker.client_options(OPERATOR))
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(INVITATIONS.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        found: list[Published] = []
        ends: dict[TopicPartition, int] | None = None
        deadline = asyncio.get_running_loop().time() + 90
        while asyncio.get_running_loop().time() < deadline:
            for partition, records in (await consumer.getmany(timeout_ms=500)).items():
                for record in records:
                    envelope = Envelope.from_kafka(record.headers, record.key, record.value)
                    found.append(
                        Published(envelope.type, envelope.subject, partition, record.offset)
                    )
            if ends is None and any(p.subject == marker for p in found):
                ends = await consumer.end_offsets(partitions)
            if ends is not None and all(await _reached(consumer, ends)):
                return found
        raise TimeoutError(f"the marker {marker} or the events before it never arrived")
    finally:
        await consumer.stop()


async def _reached(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> list[bool]:
    return [await consumer.position(partition) >= end for partition, end in ends.items()]


async def consumed_past(broker: Broker, group: str, event: Published) -> bool:
    admin = AIOKafkaAdminClient(**broker.client_options(OPERATOR))
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group, partitions=[event.partition])
    finally:
        await admin.close()
    offset = committed.get(event.partition)
    return offset is not None and offset.offset > event.offset


async def decision_storm(
    http: httpx.AsyncClient, invitations: str, bearer: dict[str, str]
) -> tuple[str, list[httpx.Response]]:
    """A fresh assessed invitation, and the answers to 25 accepts and 25 declines of it sent
    together with the ``bearer`` header (``http`` sends its own)."""
    created = await http.post(f"{invitations}/invitations", json=invitation_body())
    invitation_id: str = created.json()["id"]
    assessed = await http.put(
        f"{invitations}/invitations/{invitation_id}/assessment", json=assessment_body()
    )
    assert assessed.status_code == 200, assessed.text
    decision = f"{invitations}/invitations/{invitation_id}/decision"
    answers = await sent_together(
        [
            httpx.Request(
                "POST", decision, json=acceptance_body() if n % 2 else DECLINE, headers=bearer
            )
            for n in range(STORM)
        ]
    )
    return invitation_id, answers


async def test_of_25_accepts_and_25_declines_one_decision_reaches_the_broker_and_engagements(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    platform = await start_platform()
    invitations, engagements = platform.url("invitations"), platform.url("engagements")
    async with httpx.AsyncClient(timeout=60, auth=tokens.auth("org-a", "coordinator")) as http:
        for url in (invitations, engagements):

            async def ready(url: str = url) -> bool:
                return (await http.get(f"{url}/health/ready")).status_code == 200

            await eventually(ready, what=f"{url} ready")
        bearer = {"Authorization": f"Bearer {await tokens.for_client('org-a', 'coordinator')}"}
        invitation_id, won = await until_overlapped(
            lambda: decision_storm(http, invitations, bearer)
        )
        winner = won.json()
        accepted = winner["status"] == "accepted"
        marker = (await http.post(f"{invitations}/invitations", json=invitation_body())).json()
        events = await published_through(
            kafka_broker, INVITATIONS.qualified(topic_namespace), marker["id"]
        )
        decisions = [e for e in events if e.subject == invitation_id and e.type in DECISIONS]
        assert [e.type for e in decisions] == [ACCEPTED if accepted else DECLINED]
        (decided,) = decisions

        async def engagements_consumed_it() -> bool:
            group = in_namespace("engagements", topic_namespace)
            return await consumed_past(kafka_broker, group, decided)

        await eventually(engagements_consumed_it, within=60, what="the decision consumed")
        opened = await http.get(
            f"{engagements}/engagements", params={"invitation_id": invitation_id}
        )
        assert len(opened.json()) == (1 if accepted else 0)
        read = (await http.get(f"{invitations}/invitations/{invitation_id}")).json()
        assert read["status"] == winner["status"]
        assert read["decision"]["outcome"] == ("accept" if accepted else "decline")
