"""Use cases on webhook subscriptions: subscribe, read, list, enable, disable, redeliver, and
the delivery log.

A subscription belongs to the organization of the partner system or coordinator who created
it and is seen by that organization alone (another one's is not found). Its signing secret is
answered once, by the call that creates it; what is stored is sealed (``SecretSeal``).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.application.webhook_ports import SecretSeal
from multitrack_partners.domain.deliveries import Delivery, DeliveryStatus
from multitrack_partners.domain.subscriptions import (
    EventFilter,
    Subscription,
    checked_sink,
)
from multitrack_shared.auth.policy import changeable, owner_of_new_record, readable, require_role
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition

SUBSCRIBERS = (Role.partner_system, Role.coordinator)
"""Who may subscribe an organization, manage its subscriptions and read their logs."""

DISABLED_BY_OWNER = "disabled by its owner"

SECRET_BYTES = 32
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class Subscribe:
    sink: str
    types: tuple[str, ...]
    filters: tuple[EventFilter, ...]
    allow_loopback_http: bool


@dataclass(frozen=True)
class NewSubscription:
    subscription: Subscription
    secret: str
    """The signing secret, ``whsec_`` and base64: answered this once, never again."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


async def subscribe(
    cmd: Subscribe, caller: Principal, uow: PartnersUoW, clock: Clock, seal: SecretSeal
) -> NewSubscription:
    require_role(caller, *SUBSCRIBERS)
    owner = owner_of_new_record(caller)
    secret = new_secret()
    subscription = Subscription(
        id=str(uuid.uuid4()),
        owner_org=owner,
        sink=checked_sink(cmd.sink, allow_loopback_http=cmd.allow_loopback_http),
        types=cmd.types,
        filters=cmd.filters,
        sealed_secret=seal.seal(secret),
        created_at=clock(),
    )
    async with uow:
        await uow.subscriptions.add(subscription)
        uow.record_change("subscription", subscription.id, "subscribed")
        await uow.commit()
    return NewSubscription(subscription, secret)


async def get_subscription(
    subscription_id: str, caller: Principal, uow: PartnersUoW
) -> Subscription:
    require_role(caller, *SUBSCRIBERS)
    async with uow:
        return await _readable(subscription_id, caller, uow)


async def list_subscriptions(
    caller: Principal, uow: PartnersUoW, limit: int, offset: int
) -> list[Subscription]:
    require_role(caller, *SUBSCRIBERS)
    if caller.organization is None:
        return []
    async with uow:
        return await uow.subscriptions.of(caller.organization, limit, offset)


async def enable_subscription(
    subscription_id: str,
    caller: Principal,
    uow: PartnersUoW,
    precondition: Precondition = ANY_VERSION,
) -> Subscription:
    """Its deliveries go on from the one that failed last; what arrived while it was disabled
    was not kept for it: a redelivery since a time sends that."""
    async with uow:
        subscription = await _changeable(subscription_id, caller, uow)
        precondition.check(subscription.id, subscription.version)
        subscription.enable()
        await uow.subscriptions.save(subscription)
        uow.record_change("subscription", subscription.id, "enabled")
        await uow.commit()
    return subscription


async def disable_subscription(
    subscription_id: str,
    caller: Principal,
    uow: PartnersUoW,
    clock: Clock,
    precondition: Precondition = ANY_VERSION,
) -> Subscription:
    """Nothing more is delivered, nor kept for it, until its owner enables it again."""
    async with uow:
        subscription = await _changeable(subscription_id, caller, uow)
        precondition.check(subscription.id, subscription.version)
        if subscription.active:
            subscription.disable(DISABLED_BY_OWNER, clock())
            await uow.subscriptions.save(subscription)
            uow.record_change("subscription", subscription.id, "disabled")
            await uow.commit()
    return subscription


async def redeliver_since(
    subscription_id: str, since: datetime, caller: Principal, uow: PartnersUoW, clock: Clock
) -> int:
    """Sends again every event since ``since`` that the subscription wants, in the order they
    arrived, after whatever it still has pending; the number of deliveries made."""
    async with uow:
        subscription = await _changeable(subscription_id, caller, uow)
        now = clock()
        deliveries = [
            Delivery(
                id=str(uuid.uuid4()),
                subscription_id=subscription.id,
                event_id=event.id,
                created_at=now,
                next_attempt_at=now,
                redelivery=True,
            )
            for event in await uow.forwarded_events.since(since)
            if subscription.wants(event)
        ]
        await uow.deliveries.add(deliveries)
        uow.record_change("subscription", subscription.id, "redelivery asked")
        await uow.commit()
    return len(deliveries)


async def delivery_log(
    subscription_id: str,
    status: DeliveryStatus | None,
    caller: Principal,
    uow: PartnersUoW,
    limit: int,
    offset: int,
) -> list[Delivery]:
    """The subscription's deliveries, newest first; ``dead`` ones are its dead letters."""
    require_role(caller, *SUBSCRIBERS)
    async with uow:
        await _readable(subscription_id, caller, uow)
        return await uow.deliveries.log(subscription_id, status, limit, offset)


async def _readable(subscription_id: str, caller: Principal, uow: PartnersUoW) -> Subscription:
    return readable(
        await uow.subscriptions.get(subscription_id),
        caller,
        _no_subscription(subscription_id),
        field="subscription_id",
    )


async def _changeable(subscription_id: str, caller: Principal, uow: PartnersUoW) -> Subscription:
    require_role(caller, *SUBSCRIBERS)  # the same refusal for every operation, seen or not
    return changeable(
        await uow.subscriptions.get(subscription_id),
        caller,
        *SUBSCRIBERS,
        message=_no_subscription(subscription_id),
        field="subscription_id",
    )


def _no_subscription(subscription_id: str) -> str:
    return f"No subscription {subscription_id}."
