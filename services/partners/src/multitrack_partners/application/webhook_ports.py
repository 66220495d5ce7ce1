"""What the webhook use cases need from the outside world: their repositories, the seal that
keeps signing secrets, and the sender that signs and POSTs one event to a sink."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from multitrack_partners.domain.deliveries import Delivery, DeliveryStatus, Outcome
from multitrack_partners.domain.subscriptions import ForwardedEvent, Subscription


@dataclass(frozen=True)
class RecordOwner:
    owner_org: str
    visibility: str


class SubscriptionRepository(Protocol):
    async def add(self, subscription: Subscription) -> None: ...
    async def save(self, subscription: Subscription) -> None: ...
    async def get(self, subscription_id: str) -> Subscription | None: ...
    async def of(self, organization: str, limit: int, offset: int) -> list[Subscription]: ...
    async def active(self) -> list[Subscription]:
        """The active subscriptions, read once per unit of work: every event a consumer
        applies in one transaction was fetched before it began, so a subscription whose
        creation was answered before an event was published is among them. A change made
        through the same unit reads them again."""
        ...

    async def due(self, now: datetime, limit: int) -> list[str]:
        """Ids of active subscriptions whose oldest pending delivery is due and whose lease
        is free or over."""
        ...

    async def lease(
        self, subscription_id: str, holder: str, now: datetime, until: datetime
    ) -> bool:
        """Takes the subscription's lease for ``holder`` if nobody else holds it now."""
        ...

    async def release(self, subscription_id: str, holder: str) -> None: ...


class ForwardedEventRepository(Protocol):
    async def get(self, event_id: str) -> ForwardedEvent | None: ...
    async def add(self, event: ForwardedEvent) -> bool:
        """Stores ``event`` unless an event of its id is stored already (applied again after
        the read models were rebuilt): whether it was stored now."""
        ...

    async def since(self, time: datetime) -> list[ForwardedEvent]:
        """Events that happened at ``time`` or later, in the order they arrived."""
        ...

    async def owner_of(self, subject: str) -> RecordOwner | None: ...
    async def put_owner(self, subject: str, owner: RecordOwner) -> None: ...


class DeliveryRepository(Protocol):
    async def add(self, deliveries: list[Delivery]) -> None: ...
    async def save(self, delivery: Delivery) -> None: ...
    async def next_pending(self, subscription_id: str) -> Delivery | None:
        """The subscription's oldest pending delivery: the one to send before any other."""
        ...

    async def log(
        self, subscription_id: str, status: DeliveryStatus | None, limit: int, offset: int
    ) -> list[Delivery]: ...


class SecretSeal(Protocol):
    """Keeps signing secrets so that what is stored cannot be read back as they were given."""

    def seal(self, secret: str) -> str: ...


class WebhookSender(Protocol):
    async def send(
        self, subscription: Subscription, event: ForwardedEvent, attempt_at: datetime
    ) -> Outcome:
        """POSTs ``event`` to the subscription's sink, signed with its secret; never raises
        for what the sink does (no answer, an error status): the outcome says."""
        ...
