"""In-memory fakes of the webhook ports (``application/webhook_ports.py``), answering as the
SQL repositories do: the same order, the same leases."""

from __future__ import annotations

from datetime import datetime

from multitrack_partners.application.webhook_ports import RecordOwner
from multitrack_partners.domain.deliveries import Delivery, DeliveryStatus, Outcome
from multitrack_partners.domain.subscriptions import ForwardedEvent, Subscription
from multitrack_shared.testing.fakes import FakeRepository, Rows


class FakeDeliveryRepository(FakeRepository):
    def __init__(self) -> None:
        self.deliveries = Rows[str, Delivery]()
        self.next_seq = 1

    async def add(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            delivery.seq, self.next_seq = self.next_seq, self.next_seq + 1
            self.deliveries.insert(delivery.id, delivery)

    async def save(self, delivery: Delivery) -> None:
        self.deliveries.update(delivery.id, delivery)

    async def next_pending(self, subscription_id: str) -> Delivery | None:
        pending = [
            d
            for d in self.deliveries.values()
            if d.subscription_id == subscription_id and d.status is DeliveryStatus.pending
        ]
        return min(pending, key=lambda d: d.seq, default=None)

    async def log(
        self, subscription_id: str, status: DeliveryStatus | None, limit: int, offset: int
    ) -> list[Delivery]:
        found = [
            d
            for d in self.deliveries.values()
            if d.subscription_id == subscription_id and status in (None, d.status)
        ]
        found.sort(key=lambda d: d.seq, reverse=True)
        return found[offset : offset + limit]


class FakeSubscriptionRepository(FakeRepository):
    def __init__(self, deliveries: FakeDeliveryRepository) -> None:
        self.subscriptions = Rows[str, Subscription]()
        self.leases: dict[str, tuple[str, datetime]] = {}
        self._deliveries = deliveries

    async def add(self, subscription: Subscription) -> None:
        self.subscriptions.insert(subscription.id, subscription)

    async def save(self, subscription: Subscription) -> None:
        self.subscriptions.update(subscription.id, subscription)

    async def get(self, subscription_id: str) -> Subscription | None:
        return self.subscriptions.get(subscription_id)

    async def of(self, organization: str, limit: int, offset: int) -> list[Subscription]:
        found = [s for s in self.subscriptions.values() if s.owner_org == organization]
        found.sort(key=lambda s: (s.created_at, s.id))
        return found[offset : offset + limit]

    async def active(self) -> list[Subscription]:
        return [s for s in self.subscriptions.values() if s.active]

    async def due(self, now: datetime, limit: int) -> list[str]:
        due = []
        for subscription in await self.active():
            head = await self._deliveries.next_pending(subscription.id)
            if head is not None and head.due(now) and self._free(subscription.id, now):
                due.append((head.seq, subscription.id))
        return [subscription_id for _, subscription_id in sorted(due)][:limit]

    async def lease(
        self, subscription_id: str, holder: str, now: datetime, until: datetime
    ) -> bool:
        held = self.leases.get(subscription_id)
        if held is not None and held[0] != holder and held[1] >= now:
            return False
        self.leases[subscription_id] = (holder, until)
        return True

    async def release(self, subscription_id: str, holder: str) -> None:
        if self.leases.get(subscription_id, ("", None))[0] == holder:
            del self.leases[subscription_id]

    def _free(self, subscription_id: str, now: datetime) -> bool:
        held = self.leases.get(subscription_id)
        return held is None or held[1] < now


class FakeForwardedEventRepository(FakeRepository):
    def __init__(self) -> None:
        self.events = Rows[str, ForwardedEvent]()
        self.owners = Rows[str, RecordOwner]()

    async def get(self, event_id: str) -> ForwardedEvent | None:
        return self.events.get(event_id)

    async def add(self, event: ForwardedEvent) -> bool:
        if self.events.get(event.id) is not None:
            return False
        self.events.insert(event.id, event)
        return True

    async def since(self, time: datetime) -> list[ForwardedEvent]:
        return [e for e in self.events.values() if e.time >= time]

    async def owner_of(self, subject: str) -> RecordOwner | None:
        return self.owners.get(subject)

    async def put_owner(self, subject: str, owner: RecordOwner) -> None:
        self.owners.put(subject, owner)


class RecordingSender:
    """A sink in memory: answers each send with the next of ``answers`` (then the last)."""

    def __init__(self, *answers: Outcome) -> None:
        self.answers = list(answers) or [Outcome(204)]
        self.sent: list[tuple[str, str]] = []
        """(subscription id, event id) of every try, in order."""

    async def send(
        self, subscription: Subscription, event: ForwardedEvent, attempt_at: datetime
    ) -> Outcome:
        self.sent.append((subscription.id, event.id))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class PlainSeal:
    def seal(self, secret: str) -> str:
        return f"sealed:{secret}"
