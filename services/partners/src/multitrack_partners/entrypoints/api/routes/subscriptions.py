"""HTTP routes of /subscriptions: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_partners.application import subscriptions as handlers
from multitrack_partners.domain.deliveries import DeliveryStatus
from multitrack_partners.domain.subscriptions import Subscription
from multitrack_partners.entrypoints.api.deps import UowDep, WebhooksDep
from multitrack_partners.entrypoints.api.schemas.subscriptions import (
    DeliveryPublic,
    RedeliveryCreate,
    RedeliveryPublic,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    filter_of,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], responses=ERROR_RESPONSES)

WHO = "Partner systems and coordinators, for their own organization."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe to events, delivered as signed webhooks",
    description=f"{WHO} Events about records the organization may read (consortium-visible "
    "ones and its own) are POSTed to the sink as CloudEvents in HTTP structured mode, signed "
    "after Standard Webhooks with the secret this answer carries, once.",
    responses=tagged(status.HTTP_201_CREATED),
)
async def subscribe(
    body: SubscriptionCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    webhooks: WebhooksDep,
    response: Response,
) -> SubscriptionCreated:
    cmd = handlers.Subscribe(
        sink=body.sink,
        types=tuple(body.types),
        filters=tuple(filter_of(f) for f in body.filters),
        allow_loopback_http=webhooks.allow_loopback_http,
    )
    created = await handlers.subscribe(cmd, caller, uow, clock, webhooks.seal)
    shown = _tagged(response, created.subscription)
    response.headers["Cache-Control"] = "no-store"  # the secret: kept nowhere, retries included
    return SubscriptionCreated(**shown.model_dump(), secret=created.secret)


@router.get("", summary="List the organization's subscriptions", description=WHO)
async def search(
    caller: CallerDep, uow: UowDep, limit: Limit = 50, offset: Offset = 0
) -> list[SubscriptionPublic]:
    found = await handlers.list_subscriptions(caller, uow, limit, offset)
    return [SubscriptionPublic.of(s) for s in found]


@router.get(
    "/{subscription_id}", summary="Read one subscription", description=WHO, responses=TAGGED
)
async def read(
    subscription_id: RecordId, caller: CallerDep, uow: UowDep, response: Response
) -> SubscriptionPublic:
    found = await handlers.get_subscription(subscription_id, caller, uow)
    return _tagged(response, found)


@router.post(
    "/{subscription_id}/enable",
    summary="Enable a subscription disabled by its owner or after failed deliveries",
    description=f"{WHO} Deliveries go on from the one that failed; events that arrived while "
    "it was disabled are sent by a redelivery since a time. 409 if it is active.",
    responses=TAGGED,
)
async def enable(
    subscription_id: RecordId,
    caller: CallerDep,
    uow: UowDep,
    if_match: IfMatch,
    response: Response,
) -> SubscriptionPublic:
    enabled = await handlers.enable_subscription(subscription_id, caller, uow, if_match)
    return _tagged(response, enabled)


@router.post(
    "/{subscription_id}/disable",
    summary="Disable a subscription: nothing more is delivered until it is enabled",
    description=f"{WHO} Events that arrive while it is disabled are not kept for it.",
    responses=TAGGED,
)
async def disable(
    subscription_id: RecordId,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> SubscriptionPublic:
    disabled = await handlers.disable_subscription(subscription_id, caller, uow, clock, if_match)
    return _tagged(response, disabled)


@router.post(
    "/{subscription_id}/redeliveries",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send again everything since a time",
    description=f"{WHO} Every event since `since` the subscription wants is delivered again, "
    "in the order they arrived, after what is still pending.",
)
async def redeliver(
    subscription_id: RecordId,
    body: RedeliveryCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> RedeliveryPublic:
    made = await handlers.redeliver_since(subscription_id, body.since, caller, uow, clock)
    return RedeliveryPublic(deliveries=made)


@router.get(
    "/{subscription_id}/deliveries",
    summary="The subscription's delivery log, newest first",
    description=WHO,
)
async def deliveries(
    subscription_id: RecordId,
    caller: CallerDep,
    uow: UowDep,
    status: Annotated[
        DeliveryStatus | None, Query(description="Only deliveries in this state.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[DeliveryPublic]:
    found = await handlers.delivery_log(subscription_id, status, caller, uow, limit, offset)
    return [DeliveryPublic.of(d) for d in found]


@router.get(
    "/{subscription_id}/dead-letters",
    summary="The subscription's dead letters: deliveries that exhausted their tries",
    description=f"{WHO} A redelivery since a time sends them again.",
)
async def dead_letters(
    subscription_id: RecordId,
    caller: CallerDep,
    uow: UowDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[DeliveryPublic]:
    found = await handlers.delivery_log(
        subscription_id, DeliveryStatus.dead, caller, uow, limit, offset
    )
    return [DeliveryPublic.of(d) for d in found]


def _tagged(response: Response, subscription: Subscription) -> SubscriptionPublic:
    tag(response, subscription.id, subscription.version)
    return SubscriptionPublic.of(subscription)
