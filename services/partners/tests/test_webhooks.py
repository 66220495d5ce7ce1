"""Webhooks end to end in one process: events the consumer applies reach a real HTTP receiver
as signed CloudEvents, in order, through outages, a disabled subscription, a redelivery and a
restart of the service; a subscriber sees only what its organization may read."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from multitrack_partners.bootstrap import PartnersSettings
from multitrack_partners.main import create_app
from multitrack_shared.events.engagements import EngagementStatusChangedV2
from multitrack_shared.messaging.topics import PARTNER_FEED
from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.receiver import Receiver
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OTHER, OWNER, Database, Deliver, an_engagement_opened

MAX_ATTEMPTS = 3


def webhook_settings(directory: Path, issuer: str, **changes: Any) -> PartnersSettings:
    settings = offline_settings(PartnersSettings, directory, oidc_issuer=issuer)
    return settings.model_copy(
        update={
            "webhook_secret_key": SecretStr(Fernet.generate_key().decode()),
            # Local mode: the test's receiver listens on a loopback port, over http.
            "webhook_allow_loopback_http": True,
            "webhook_max_attempts": MAX_ATTEMPTS,
            "webhook_first_retry_seconds": 0.05,
            "webhook_longest_retry_seconds": 0.2,
            "webhook_poll_seconds": 0.05,
            "webhook_lease_seconds": 1.0,
            **changes,
        }
    )


@pytest.fixture
def settings(tmp_path: Path, keycloak: IdentityProvider) -> PartnersSettings:
    return webhook_settings(tmp_path, keycloak.issuer.url)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    await receiver.start()
    yield receiver
    await receiver.stop()


async def subscribe(
    client: httpx.AsyncClient, sink: str, auth: httpx.Auth | None = None, **body: Any
) -> dict[str, Any]:
    sent = {"sink": sink, "protocol": "HTTP", **body}
    response = await (
        client.post("/subscriptions", json=sent)
        if auth is None
        else client.post("/subscriptions", json=sent, auth=auth)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def status_changes(engagement_id: str, count: int) -> list[EngagementStatusChangedV2]:
    return [
        EngagementStatusChangedV2(
            engagement_id=engagement_id,
            from_status=f"step-{n}",
            to_status=f"step-{n + 1}",
            changed_at=datetime(2026, 3, 1, 9, n, tzinfo=UTC),
        )
        for n in range(count)
    ]


def events_of(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received]


async def received(receiver: Receiver, count: int, within: float = 30) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]] | None:
        found = events_of(receiver)
        return found if len(found) >= count else None

    return await eventually(enough, within=within, what=f"{count} deliveries")


async def test_deliveries_are_signed_cloudevents_the_subscriber_verifies_and_tampering_fails(
    client: httpx.AsyncClient, deliver: Deliver, receiver: Receiver
) -> None:
    created = await subscribe(client, receiver.url, auth=None)
    opened = an_engagement_opened("eng-1")
    await deliver(opened)

    (event,) = await received(receiver, 1)
    delivery = receiver.received[0]
    assert created["secret"].startswith("whsec_")
    assert delivery.headers["content-type"].startswith("application/cloudevents+json")
    verified = Webhook(created["secret"]).verify(delivery.body, delivery.headers)
    assert verified == event
    assert event["type"] == "multitrack.engagement.opened.v1"
    assert event["subject"] == "eng-1"
    assert event["source"] == "/multitrack/engagements"
    assert event["data"]["engagement_id"] == "eng-1"
    assert delivery.headers["webhook-id"] == event["id"]

    tampered = delivery.body.replace(b"eng-1", b"eng-9")
    with pytest.raises(WebhookVerificationError):
        Webhook(created["secret"]).verify(tampered, delivery.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(delivery.body, delivery.headers)
    # The secret was shown once: no later answer carries it.
    again = await client.get(f"/subscriptions/{created['id']}")
    assert again.status_code == 200
    assert "secret" not in again.json()
    listed = await client.get("/subscriptions")
    assert [s["id"] for s in listed.json()] == [created["id"]]
    assert all("secret" not in s for s in listed.json())


async def test_a_receiver_down_for_a_while_gets_everything_in_order_once_back(
    client: httpx.AsyncClient, deliver: Deliver, receiver: Receiver
) -> None:
    await subscribe(client, receiver.url)
    await deliver(an_engagement_opened("eng-1"))
    await received(receiver, 1)
    await receiver.stop()

    changes = status_changes("eng-1", 4)
    for change in changes:
        await deliver(change)
    await receiver.start()

    events = await received(receiver, 5)
    assert [e["data"]["to_status"] for e in events[1:]] == [c.to_status for c in changes]


async def test_an_always_failing_sink_is_disabled_then_enabled_and_a_redelivery_resends(
    client: httpx.AsyncClient, deliver: Deliver, receiver: Receiver
) -> None:
    created = await subscribe(client, receiver.url)
    path = f"/subscriptions/{created['id']}"
    receiver.failing = True
    await deliver(an_engagement_opened("eng-1"))

    async def disabled() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(path)).json()
        return body if body["status"] == "disabled" else None

    subscription = await eventually(disabled, within=30, what="the subscription disabled")
    assert receiver.refused == MAX_ATTEMPTS
    assert "failed tries" in subscription["disabled_reason"]
    (dead,) = (await client.get(f"{path}/dead-letters")).json()
    assert dead["attempts"] == MAX_ATTEMPTS
    assert dead["last_status_code"] == 500
    log = (await client.get(f"{path}/deliveries")).json()
    assert [d["status"] for d in log] == ["dead"]

    # While disabled, nothing is kept for it.
    for change in status_changes("eng-1", 2):
        await deliver(change)
    receiver.failing = False
    enabled = await client.post(f"{path}/enable")
    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["status"] == "active"
    assert (await client.post(f"{path}/enable")).status_code == 409

    redelivered = await client.post(f"{path}/redeliveries", json={"since": "2000-01-01T00:00:00Z"})
    assert redelivered.status_code == 202, redelivered.text
    assert redelivered.json() == {"deliveries": 3}
    events = await received(receiver, 3)
    assert [e["type"] for e in events] == [
        "multitrack.engagement.opened.v1",
        "multitrack.engagement.status_changed.v2",
        "multitrack.engagement.status_changed.v2",
    ]


async def test_restarting_the_service_mid_way_loses_no_delivery(
    settings: PartnersSettings, tokens: TokenSource, receiver: Receiver
) -> None:
    first = create_app(settings)
    async with running(first), client_of(first, auth=tokens.auth(OWNER, "partner-system")) as c:
        await subscribe(c, receiver.url)
        await receiver.stop()
        await _apply(first, [an_engagement_opened("eng-1"), *status_changes("eng-1", 3)])

    await receiver.start()
    second = create_app(settings)
    async with running(second):
        events = await received(receiver, 4)
    assert [e["subject"] for e in events] == ["eng-1"] * 4
    assert [e["data"].get("to_status") for e in events[1:]] == ["step-1", "step-2", "step-3"]


async def test_a_subscriber_of_another_organization_never_receives_an_owner_only_record(
    client: httpx.AsyncClient,
    deliver: Deliver,
    db: Database,
    tokens: TokenSource,
) -> None:
    ours, theirs = Receiver(), Receiver()
    await ours.start()
    await theirs.start()
    try:
        await subscribe(client, ours.url)
        await subscribe(client, theirs.url, auth=tokens.auth(OTHER, "partner-system"))
        private = {"owner_org": OWNER, "visibility": "owner"}
        await deliver(an_engagement_opened("eng-private", ownership=private))
        for change in status_changes("eng-private", 2):
            await deliver(change)
        await deliver(an_engagement_opened("eng-shared"))

        ours_got = await received(ours, 4)
        theirs_got = await received(theirs, 1)
        assert [e["subject"] for e in ours_got] == ["eng-private"] * 3 + ["eng-shared"]
        assert [e["subject"] for e in theirs_got] == ["eng-shared"]
        assert [e["subject"] for e in events_of(theirs)] == ["eng-shared"]
    finally:
        await ours.stop()
        await theirs.stop()

    feed = [row for row in await db.outbox() if row.topic == PARTNER_FEED.name]
    assert [row.message_key for row in feed] == ["eng-shared"]


async def _apply(app: FastAPI, events: list[Any]) -> None:
    from multitrack_partners.entrypoints.consumers import handlers
    from multitrack_shared.messaging.consumer import Subscription
    from multitrack_shared.testing.inprocess import apply_events

    await apply_events(app, Subscription(handlers), events)
