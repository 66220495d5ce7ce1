"""Subscribing is retried safely with an ``Idempotency-Key``, yet its answer, which carries the
signing secret once, is kept nowhere: a retry learns that the subscription was made (listed
among the organization's), not the secret, and no second subscription is made."""

from __future__ import annotations

import httpx

from multitrack_shared.testing.tokens import TokenSource

from .conftest import OWNER, Database

SINK = "https://partner.example.org/multitrack/events"


async def test_a_retried_subscription_is_made_once_and_its_secret_is_kept_nowhere(
    client: httpx.AsyncClient, db: Database, tokens: TokenSource
) -> None:
    partner_system = tokens.auth(OWNER, "partner-system")
    body = {"sink": SINK, "protocol": "HTTP"}
    headers = {"Idempotency-Key": "subscribe-once"}
    first = await client.post("/subscriptions", json=body, headers=headers, auth=partner_system)
    assert first.status_code == 201, first.text
    assert first.headers["Cache-Control"] == "no-store"
    secret = first.json()["secret"]

    again = await client.post("/subscriptions", json=body, headers=headers, auth=partner_system)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "answer_not_kept"
    assert secret not in again.text
    assert len(await db.rows("subscriptions")) == 1
    (kept,) = await db.rows("idempotency_keys")
    assert (kept.status, bytes(kept.body)) == (201, b"")
