"""A client whose write timed out during a broker outage retries it with the same
``Idempotency-Key``: it gets the first answer and the platform holds one record and publishes
one event, however often, and however many at once, the request was sent."""

from __future__ import annotations

import uuid

import httpx
import pytest

from multitrack_shared.messaging.topics import INVITATIONS
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.races import sent_together
from multitrack_shared.testing.samples import invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform
from .test_concurrent_decisions import published_through

RECEIVED = "multitrack.invitation.received.v2"
AT_ONCE = 8


async def test_retries_with_one_key_across_a_broker_outage_leave_one_record_and_one_event(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    if not kafka_broker.controllable:
        pytest.skip("needs a broker this test can stop: unset KAFKA_BOOTSTRAP_SERVERS")
    platform = await start_platform()
    invitations = platform.url("invitations")
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:

        async def ready() -> bool:
            return (await http.get(f"{invitations}/health/ready")).status_code == 200

        await eventually(ready, what="the invitations service ready")
        kafka_broker.stop()
        try:

            async def broker_gone() -> bool:
                detail = (await http.get(f"{invitations}/health")).json()
                return bool(detail["broker"]["status"] == "unavailable")

            await eventually(broker_gone, within=30, what="the broker seen gone")
            body = invitation_body()
            retried = {"Idempotency-Key": str(uuid.uuid4())}
            first = await http.post(f"{invitations}/invitations", json=body, headers=retried)
            assert first.status_code == 201, first.text
            for _ in range(3):
                again = await http.post(f"{invitations}/invitations", json=body, headers=retried)
                assert (again.status_code, again.json()) == (201, first.json())
                assert again.headers["ETag"] == first.headers["ETag"]
            # Sent together by impatient clients: one request writes, the others its answer.
            bearer = {"Authorization": f"Bearer {await tokens.for_client('org-a', 'coordinator')}"}
            raced = {**bearer, "Idempotency-Key": str(uuid.uuid4())}
            answers = await sent_together(
                [
                    httpx.Request("POST", f"{invitations}/invitations", json=body, headers=raced)
                    for _ in range(AT_ONCE)
                ]
            )
            assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
            assert len({a.json()["id"] for a in answers}) == 1
        finally:
            kafka_broker.start()

        ids = {first.json()["id"], answers[0].json()["id"]}
        listed = await http.get(f"{invitations}/invitations", params={"limit": 100})
        assert {i["id"] for i in listed.json()} == ids
        marker = (await http.post(f"{invitations}/invitations", json=body)).json()["id"]
        events = await published_through(
            kafka_broker, INVITATIONS.qualified(topic_namespace), marker
        )
        received = sorted(e.subject for e in events if e.type == RECEIVED)
        assert received == sorted([*ids, marker])
