"""Sending webhook deliveries: each subscription's pending events, oldest first, one at a time.

A worker takes a subscription's lease (so that no other worker, in this process or another
replica, sends its events meanwhile), sends its oldest pending delivery, records the outcome,
and goes on with the next one while they succeed. A failed try waits for its back-off; the
subscription's later deliveries wait behind it, so a receiver that was down gets everything,
in order, once it is back. A delivery that exhausted its tries is dead and its subscription is
disabled. Outcomes are written after the try, so a worker stopped in the middle of one leaves
it pending: it is sent again (receivers tell repeats by ``webhook-id``), never lost.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.application.webhook_ports import WebhookSender
from multitrack_partners.domain.deliveries import Delivery, Outcome, RetryPolicy
from multitrack_partners.domain.subscriptions import ForwardedEvent, Subscription
from multitrack_shared.ports import Clock

DISABLED_AFTER_FAILURES = "disabled after {attempts} failed tries of one delivery"


def _unobserved(outcome: str, seconds: float) -> None:
    return None


@dataclass(frozen=True)
class Deliverer:
    """What sending needs: units of work (acting as the service), the sender, the clock."""

    unit: Callable[[], PartnersUoW]
    sender: WebhookSender
    clock: Clock
    policy: RetryPolicy
    lease: timedelta
    batch: int = 50
    jitter: Callable[[], float] = random.random
    observe: Callable[[str, float], None] = _unobserved
    """Told of each try: ``received``, ``failed`` (to be tried again) or ``dead``, and how
    long the sink took; the service's metrics count them."""


async def due_subscriptions(deliverer: Deliverer, limit: int) -> list[str]:
    async with deliverer.unit() as uow:
        return await uow.subscriptions.due(deliverer.clock(), limit)


async def deliver_pending(subscription_id: str, deliverer: Deliverer) -> int:
    """Sends the subscription's due deliveries in order until one fails, none is due or the
    batch is done; the number received. Nothing, if another worker holds the subscription."""
    holder = str(uuid.uuid4())
    received = 0
    if not await _lease(subscription_id, holder, deliverer):
        return received
    try:
        for _ in range(deliverer.batch):
            found = await _next(subscription_id, deliverer)
            if found is None:
                break
            subscription, delivery, event = found
            started = time.perf_counter()
            outcome = await deliverer.sender.send(subscription, event, deliverer.clock())
            took = time.perf_counter() - started
            await _record(subscription_id, delivery, outcome, deliverer)
            deliverer.observe(_outcome_name(outcome, delivery), took)
            if not outcome.received or not await _lease(subscription_id, holder, deliverer):
                break
            received += 1
    finally:
        async with deliverer.unit() as uow:
            await uow.subscriptions.release(subscription_id, holder)
            await uow.commit()
    return received


def _outcome_name(outcome: Outcome, delivery: Delivery) -> str:
    if outcome.received:
        return "received"
    return "dead" if delivery.dead else "failed"


async def _lease(subscription_id: str, holder: str, deliverer: Deliverer) -> bool:
    now = deliverer.clock()
    async with deliverer.unit() as uow:
        taken = await uow.subscriptions.lease(subscription_id, holder, now, now + deliverer.lease)
        await uow.commit()
    return taken


async def _next(
    subscription_id: str, deliverer: Deliverer
) -> tuple[Subscription, Delivery, ForwardedEvent] | None:
    async with deliverer.unit() as uow:
        subscription = await uow.subscriptions.get(subscription_id)
        if subscription is None or not subscription.active:
            return None
        delivery = await uow.deliveries.next_pending(subscription_id)
        if delivery is None or not delivery.due(deliverer.clock()):
            return None
        event = await uow.forwarded_events.get(delivery.event_id)
    if event is None:
        raise RuntimeError(f"delivery {delivery.id} names no stored event")
    return subscription, delivery, event


async def _record(
    subscription_id: str, delivery: Delivery, outcome: Outcome, deliverer: Deliverer
) -> None:
    now = deliverer.clock()
    async with deliverer.unit() as uow:
        delivery.tried(outcome, now, deliverer.policy, deliverer.jitter())
        await uow.deliveries.save(delivery)
        if delivery.dead:
            subscription = await uow.subscriptions.get(subscription_id)
            if subscription is not None and subscription.active:
                reason = DISABLED_AFTER_FAILURES.format(attempts=delivery.attempts)
                subscription.disable(reason, now)
                await uow.subscriptions.save(subscription)
                uow.record_change("subscription", subscription.id, "disabled")
        await uow.commit()
