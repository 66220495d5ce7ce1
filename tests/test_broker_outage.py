"""A broker outage never loses an accepted write: the outbox holds events until it is back.
Every service stays ready and keeps taking writes; the outage shows in ``/health`` and in the
metrics (the broker down, the outbox backlog growing), not as unreadiness."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import INVITATIONS
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import SERVICES, Platform
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


ACTIVITY = {
    "kind": "dialogue",
    "held_on": "2027-02-20",
    "place": "El Carmen de Bolívar",
    "tracks": [3, 4],
    "peacebuilding_kind": "social",
    "rpp_quadrant": "more_people_socio_political",
    "participants": [
        {"sex": "female", "role": "participant", "track": 4, "side": "returning families",
         "count": 14},
    ],
    "do_no_harm": {"note": "Held at the shared market.", "dividers": [], "connectors": []},
}  # fmt: skip
LESSON = {
    "visibility": "consortium",
    "statement": "Open land dialogues with listening circles before mixed sessions.",
    "evidence": "Attendance of returning women tripled.",
    "confidence": "medium",
    "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
}
PARTNER = {
    "name": "Mujeres Tejiendo Paz",
    "kind": "women's organization",
    "tracks": [4, 6],
    "countries": ["CO"],
    "is_local": True,
    "women_led": True,
    "womens_rights_org": True,
}


def sample(metrics: str, name: str) -> float | None:
    """The value of the one sample ``name`` in an exposition text."""
    for family in text_string_to_metric_families(metrics):
        for each in family.samples:
            if each.name == name:
                return float(each.value)
    return None


async def test_invitations_made_while_the_broker_is_down_all_arrive_in_order_once_it_is_back(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    if not kafka_broker.controllable:
        pytest.skip("needs a broker this test can stop: unset KAFKA_BOOTSTRAP_SERVERS")
    platform = await start_platform()
    invitations = platform.url("invitations")
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:
        body = invitation_body()

        async def every_service_ready() -> bool:
            answers = [await http.get(f"{platform.url(s)}/health/ready") for s in SERVICES]
            return all(a.status_code == 200 for a in answers)

        await eventually(every_service_ready, what="every service ready")
        opened = await open_an_engagement(http, platform)
        kafka_broker.stop()
        try:

            async def every_service_sees_the_broker_gone() -> bool:
                details = [(await http.get(f"{platform.url(s)}/health")).json() for s in SERVICES]
                return all(d["broker"]["status"] == "unavailable" for d in details)

            await eventually(every_service_sees_the_broker_gone, within=30, what="broker gone")
            for service in SERVICES:
                ready = await http.get(f"{platform.url(service)}/health/ready")
                assert ready.status_code == 200, (service, ready.text)
                detail = (await http.get(f"{platform.url(service)}/health")).json()
                assert (detail["status"], detail["ready"]) == ("degraded", True), detail
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
            await writes_of_the_other_services(http, platform, tokens, opened)

            async def backlog_in_the_metrics() -> bool:
                metrics = (await http.get(f"{invitations}/metrics")).text
                pending = sample(metrics, "multitrack_outbox_pending") or 0
                return sample(metrics, "multitrack_broker_up") == 0 and pending >= len(ids) * 3

            await eventually(backlog_in_the_metrics, within=30, what="the backlog counted")
        finally:
            kafka_broker.start()

        per_key = await invitation_events(
            kafka_broker,
            INVITATIONS.qualified(topic_namespace),
            expected=(len(ids) + 1) * len(LIFECYCLE),
        )
        assert {key: per_key.get(key) for key in ids} == dict.fromkeys(ids, LIFECYCLE)

        async def all_opened() -> bool:
            listed = await http.get(
                f"{platform.url('engagements')}/engagements", params={"limit": 100}
            )
            return {e["invitation_id"] for e in listed.json()} == {*ids, opened["invitation_id"]}

        await eventually(all_opened, within=90, what="an engagement for every invitation")

        async def backlog_sent() -> bool:
            metrics = (await http.get(f"{invitations}/metrics")).text
            return sample(metrics, "multitrack_outbox_pending") == 0

        await eventually(backlog_sent, within=60, what="the outbox emptied")


async def open_an_engagement(http: httpx.AsyncClient, platform: Platform) -> dict[str, Any]:
    invitations = platform.url("invitations")
    created = await http.post(f"{invitations}/invitations", json=invitation_body())
    invitation = created.json()["id"]
    await http.put(f"{invitations}/invitations/{invitation}/assessment", json=assessment_body())
    await http.post(f"{invitations}/invitations/{invitation}/decision", json=acceptance_body())

    async def opened() -> dict[str, Any] | None:
        found = await http.get(
            f"{platform.url('engagements')}/engagements", params={"invitation_id": invitation}
        )
        listed: list[dict[str, Any]] = found.json()
        return listed[0] if listed else None

    return await eventually(opened, what="the first engagement opened")


async def writes_of_the_other_services(
    http: httpx.AsyncClient, platform: Platform, tokens: TokenSource, engagement: dict[str, Any]
) -> None:
    """One write each that publishes an event, while the broker is down: each is accepted."""
    activity = await http.post(
        f"{platform.url('engagements')}/engagements/{engagement['id']}/activities", json=ACTIVITY
    )
    assert activity.status_code == 201, activity.text
    partner = await http.post(f"{platform.url('partners')}/partners", json=PARTNER)
    assert partner.status_code == 201, partner.text
    lesson = await http.post(
        f"{platform.url('evaluation')}/lessons",
        json=LESSON,
        auth=tokens.auth("org-a", "evaluator"),
    )
    assert lesson.status_code == 201, lesson.text
