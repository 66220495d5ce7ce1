"""The webhook delivery worker: finds subscriptions with a delivery due and sends them.

It polls (``webhook_poll_seconds``); the runtime runs it beside the relay and the consumer and
starts it again after a crash. Subscriptions are served side by side, each in order.
"""

from __future__ import annotations

import asyncio

from multitrack_partners.application.deliveries import (
    Deliverer,
    deliver_pending,
    due_subscriptions,
)
from multitrack_shared.logging import get_logger

log = get_logger(__name__)

SIDE_BY_SIDE = 20
"""Most subscriptions served at once by one worker."""


async def deliver_webhooks(deliverer: Deliverer, poll_seconds: float) -> None:
    while True:
        due = await due_subscriptions(deliverer, SIDE_BY_SIDE)
        results = await asyncio.gather(
            *(deliver_pending(subscription_id, deliverer) for subscription_id in due),
            return_exceptions=True,
        )
        for subscription_id, result in zip(due, results, strict=True):
            if isinstance(result, Exception):
                log.error(
                    "webhook delivery failed", subscription=subscription_id, error=repr(result)
                )
        # Straight on while deliveries are received; otherwise what is due waits its turn.
        received = sum(r for r in results if isinstance(r, int))
        await asyncio.sleep(0 if received else poll_seconds)
