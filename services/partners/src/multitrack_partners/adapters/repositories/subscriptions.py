"""Every SQL query on webhook subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import DeliveryRow, SubscriptionRow
from multitrack_partners.domain.deliveries import DeliveryStatus
from multitrack_partners.domain.subscriptions import (
    EventFilter,
    FilterDialect,
    FilteredAttribute,
    Subscription,
    SubscriptionStatus,
)
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.times import utc


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._active: list[Subscription] | None = None
        """What ``active`` read in this unit of work (a repository lives one transaction)."""

    async def add(self, subscription: Subscription) -> None:
        self._active = None
        self._session.add(SubscriptionRow(id=subscription.id, **_fields(subscription)))

    async def save(self, subscription: Subscription) -> None:
        self._active = None
        fields = _fields(subscription)
        await save_versioned(self._session, SubscriptionRow, subscription.id, subscription, fields)

    async def get(self, subscription_id: str) -> Subscription | None:
        row = await self._session.get(SubscriptionRow, subscription_id)
        return _to_domain(row) if row else None

    async def of(self, organization: str, limit: int, offset: int) -> list[Subscription]:
        query = (
            select(SubscriptionRow)
            .where(SubscriptionRow.owner_org == organization)
            .order_by(col(SubscriptionRow.created_at), col(SubscriptionRow.id))
            .offset(offset)
            .limit(limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def active(self) -> list[Subscription]:
        # Once per transaction: forwarding asks for every event of a consumer's poll.
        if self._active is None:
            query = select(SubscriptionRow).where(
                SubscriptionRow.status == SubscriptionStatus.active.value
            )
            self._active = [_to_domain(row) for row in (await self._session.exec(query)).all()]
        return list(self._active)

    async def due(self, now: datetime, limit: int) -> list[str]:
        head = (
            select(DeliveryRow.subscription_id, func.min(DeliveryRow.seq).label("seq"))
            .where(DeliveryRow.status == DeliveryStatus.pending.value)
            .group_by(col(DeliveryRow.subscription_id))
            .subquery()
        )
        query = (
            select(SubscriptionRow.id)
            .join(head, head.c.subscription_id == SubscriptionRow.id)
            .join(DeliveryRow, col(DeliveryRow.seq) == head.c.seq)
            .where(
                SubscriptionRow.status == SubscriptionStatus.active.value,
                col(DeliveryRow.next_attempt_at) <= now,
                _lease_free(now),
            )
            .order_by(head.c.seq)
            .limit(limit)
        )
        return list((await self._session.exec(query)).all())

    async def lease(
        self, subscription_id: str, holder: str, now: datetime, until: datetime
    ) -> bool:
        statement = (
            update(SubscriptionRow)
            .where(
                col(SubscriptionRow.id) == subscription_id,
                or_(_lease_free(now), col(SubscriptionRow.lease_holder) == holder),
            )
            .values(lease_holder=holder, lease_until=until)
        )
        result = await self._session.exec(statement)
        return bool(result.rowcount == 1)

    async def release(self, subscription_id: str, holder: str) -> None:
        statement = (
            update(SubscriptionRow)
            .where(
                col(SubscriptionRow.id) == subscription_id,
                col(SubscriptionRow.lease_holder) == holder,
            )
            .values(lease_holder=None, lease_until=None)
        )
        await self._session.exec(statement)


def _lease_free(now: datetime) -> Any:
    return or_(col(SubscriptionRow.lease_until).is_(None), col(SubscriptionRow.lease_until) < now)


def _fields(subscription: Subscription) -> dict[str, Any]:
    return {
        "owner_org": subscription.owner_org,
        "sink": subscription.sink,
        "protocol": subscription.protocol,
        "types": list(subscription.types),
        "filters": [f.as_json() for f in subscription.filters],
        "sealed_secret": subscription.sealed_secret,
        "status": subscription.status.value,
        "disabled_reason": subscription.disabled_reason,
        "disabled_at": subscription.disabled_at,
        "created_at": subscription.created_at,
    }


def filters_from_json(stored: list[dict[str, Any]]) -> tuple[EventFilter, ...]:
    return tuple(
        EventFilter(FilterDialect(dialect), FilteredAttribute(attribute), value)
        for one in stored
        for dialect, condition in one.items()
        for attribute, value in condition.items()
    )


def _to_domain(row: SubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        owner_org=row.owner_org,
        sink=row.sink,
        protocol=row.protocol,
        types=tuple(row.types),
        filters=filters_from_json(row.filters),
        sealed_secret=row.sealed_secret,
        status=SubscriptionStatus(row.status),
        disabled_reason=row.disabled_reason,
        disabled_at=utc(row.disabled_at),
        created_at=utc(row.created_at),
        version=row.version,
    )
