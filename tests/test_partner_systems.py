"""Partner systems across four processes and a real broker: webhooks to real HTTP receivers and
the partner feed read as the broker's ``partner`` principal. A subscriber of org-b never gets
an event about org-a's owner-only record, by either way; org-a's gets them all, in order, even
across a restart of the partners service while its receiver was down."""

from __future__ import annotations

import json
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from multitrack_shared.messaging.access import PARTNER
from multitrack_shared.messaging.kafka import close_quietly, new_consumer
from multitrack_shared.messaging.topics import INVITATIONS, PARTNER_FEED
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.receiver import Receiver
from multitrack_shared.testing.samples import assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

WEBHOOKS = {
    "MULTITRACK_WEBHOOK_ALLOW_LOOPBACK_HTTP": "true",
    "MULTITRACK_WEBHOOK_FIRST_RETRY_SECONDS": "0.2",
    "MULTITRACK_WEBHOOK_LONGEST_RETRY_SECONDS": "1",
    "MULTITRACK_WEBHOOK_MAX_ATTEMPTS": "1000",
    "MULTITRACK_WEBHOOK_POLL_SECONDS": "0.2",
    "MULTITRACK_WEBHOOK_LEASE_SECONDS": "3",
    "MULTITRACK_WEBHOOK_SECRET_KEY": "pS0C3v7x8bQbE1Zr4P3o8t8cJ6k2c6mXw1tqk0Jc9dQ=",
}


async def subscribe(platform: Platform, auth: httpx.Auth, sink: str) -> str:
    async with httpx.AsyncClient(timeout=10, auth=auth) as http:
        created = await http.post(
            f"{platform.url('partners')}/subscriptions",
            json={
                "sink": sink,
                "protocol": "HTTP",
                "filters": [{"prefix": {"type": "multitrack.invitation."}}],
            },
        )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def new_invitation(http: httpx.AsyncClient, platform: Platform, visibility: str) -> str:
    created = await http.post(
        f"{platform.url('invitations')}/invitations", json=invitation_body(visibility=visibility)
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def subjects(receiver: Receiver) -> list[tuple[str, str]]:
    events = [json.loads(r.body) for r in receiver.received]
    return [(e["subject"], e["type"].split(".")[2]) for e in events]


async def read_feed(broker: Broker, namespace: str, until: str) -> tuple[set[str], set[str]]:
    """The subjects on the partner feed, read as ``partner`` until ``until`` is among them (and
    a few polls more); and the topics the principal may see."""
    settings = broker.settings(PARTNER, namespace)
    consumer: AIOKafkaConsumer = new_consumer(settings)
    await consumer.start()
    seen: set[str] = set()
    try:
        consumer.subscribe([PARTNER_FEED.qualified(namespace)])

        async def poll() -> bool:
            batches = await consumer.getmany(timeout_ms=500)
            seen.update(r.key.decode() for records in batches.values() for r in records if r.key)
            return until in seen

        await eventually(poll, within=60, what=f"{until} on the partner feed")
        for _ in range(6):
            await poll()
        visible = set(await consumer.topics())
    finally:
        await close_quietly(consumer)
    return seen, visible


async def test_org_a_s_owner_only_record_reaches_org_a_s_subscriber_alone_and_never_the_feed(
    start_platform: StartPlatform,
    tokens: TokenSource,
    kafka_broker: Broker,
    topic_namespace: str,
) -> None:
    platform = await start_platform(extra_env=WEBHOOKS)
    ours, theirs = Receiver(), Receiver()
    await ours.start()
    await theirs.start()
    try:
        ours_id = await subscribe(platform, tokens.auth("org-a", "partner-system"), ours.url)
        await subscribe(platform, tokens.auth("org-b", "partner-system"), theirs.url)
        async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as a:
            private = await new_invitation(a, platform, "owner")
            shared = await new_invitation(a, platform, "consortium")

            async def both_arrived() -> bool:
                got = {subject for subject, _ in subjects(ours)}
                return {private, shared} <= got and shared in dict(subjects(theirs))

            await eventually(both_arrived, within=90, what="the invitations delivered")
            await no_delivery_pending(platform, ours_id, tokens)
            assert private not in dict(subjects(theirs))

            feed, visible = await read_feed(kafka_broker, topic_namespace, until=shared)
            assert private not in feed
            assert INVITATIONS.qualified(topic_namespace) not in visible

            # org-a's receiver goes down; events wait as deliveries; the partners service
            # restarts meanwhile; once the receiver is back it gets every one, in order.
            await ours.stop()
            assessed = await a.put(
                f"{platform.url('invitations')}/invitations/{shared}/assessment",
                json=assessment_body(),
            )
            assert assessed.status_code == 200, assessed.text
            later = [await new_invitation(a, platform, "owner") for _ in range(3)]
            await pending_at_least(platform, ours_id, tokens, 4)
            partners = platform.services["partners"]
            partners.stop()
            await ours.start()
            partners.start()
            partners.wait_live()

            async def all_arrived() -> list[tuple[str, str]] | None:
                got = subjects(ours)
                return got if {*later, shared} <= {s for s, _ in got[2:]} else None

            got = await eventually(all_arrived, within=90, what="everything after the restart")
            # Each exactly once, and one record's events in the order they happened.
            expected = [(shared, "assessed"), *((invitation, "received") for invitation in later)]
            assert sorted(got[2:]) == sorted(expected)
            assert got.index((shared, "received")) < got.index((shared, "assessed"))
    finally:
        await ours.stop()
        await theirs.stop()


async def deliveries_of(
    platform: Platform, subscription_id: str, tokens: TokenSource, status: str
) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "partner-system")) as http:
        answer = await http.get(
            f"{platform.url('partners')}/subscriptions/{subscription_id}/deliveries",
            params={"status": status},
        )
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


async def no_delivery_pending(
    platform: Platform, subscription_id: str, tokens: TokenSource
) -> None:
    async def none_pending() -> bool:
        return not await deliveries_of(platform, subscription_id, tokens, "pending")

    await eventually(none_pending, within=60, what="no delivery pending")


async def pending_at_least(
    platform: Platform, subscription_id: str, tokens: TokenSource, count: int
) -> None:
    async def enough() -> bool:
        return len(await deliveries_of(platform, subscription_id, tokens, "pending")) >= count

    await eventually(enough, within=60, what=f"{count} deliveries pending")
