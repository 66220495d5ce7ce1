"""Every SQL query on webhook deliveries."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import DeliveryRow
from multitrack_partners.domain.deliveries import Delivery, DeliveryStatus
from multitrack_shared.times import utc


class SqlDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, deliveries: list[Delivery]) -> None:
        # One at a time, flushed, so that their sequence follows the list's order.
        for delivery in deliveries:
            self._session.add(DeliveryRow(id=delivery.id, **_fields(delivery)))
            await self._session.flush()

    async def save(self, delivery: Delivery) -> None:
        query = select(DeliveryRow).where(DeliveryRow.id == delivery.id)
        row = (await self._session.exec(query)).first()
        if row is None:
            return
        for name, value in _fields(delivery).items():
            setattr(row, name, value)
        self._session.add(row)

    async def next_pending(self, subscription_id: str) -> Delivery | None:
        query = (
            select(DeliveryRow)
            .where(
                DeliveryRow.subscription_id == subscription_id,
                DeliveryRow.status == DeliveryStatus.pending.value,
            )
            .order_by(col(DeliveryRow.seq))
            .limit(1)
        )
        row = (await self._session.exec(query)).first()
        return _to_domain(row) if row else None

    async def log(
        self, subscription_id: str, status: DeliveryStatus | None, limit: int, offset: int
    ) -> list[Delivery]:
        query = select(DeliveryRow).where(DeliveryRow.subscription_id == subscription_id)
        if status is not None:
            query = query.where(DeliveryRow.status == status.value)
        query = query.order_by(col(DeliveryRow.seq).desc()).offset(offset).limit(limit)
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _fields(delivery: Delivery) -> dict[str, Any]:
    return {
        "subscription_id": delivery.subscription_id,
        "event_id": delivery.event_id,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "last_attempt_at": delivery.last_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
        "redelivery": delivery.redelivery,
        "created_at": delivery.created_at,
    }


def _to_domain(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=utc(row.next_attempt_at),
        last_attempt_at=utc(row.last_attempt_at),
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        delivered_at=utc(row.delivered_at),
        redelivery=row.redelivery,
        created_at=utc(row.created_at),
        seq=row.seq or 0,
    )
