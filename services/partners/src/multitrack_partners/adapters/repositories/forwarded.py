"""Every SQL query on the events received for webhooks and on whose records they are about."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import ForwardedEventRow, RecordOwnerRow
from multitrack_partners.application.webhook_ports import RecordOwner
from multitrack_partners.domain.subscriptions import ForwardedEvent
from multitrack_shared.times import utc


class SqlForwardedEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, event_id: str) -> ForwardedEvent | None:
        query = select(ForwardedEventRow).where(ForwardedEventRow.id == event_id)
        row = (await self._session.exec(query)).first()
        return _to_domain(row) if row else None

    async def add(self, event: ForwardedEvent) -> None:
        self._session.add(
            ForwardedEventRow(
                id=event.id,
                type=event.type,
                source=event.source,
                subject=event.subject,
                time=event.time,
                data=event.data,
                owner_org=event.owner_org,
                visibility=event.visibility,
            )
        )
        await self._session.flush()  # deliveries point at it

    async def since(self, time: datetime) -> list[ForwardedEvent]:
        query = (
            select(ForwardedEventRow)
            .where(col(ForwardedEventRow.time) >= time)
            .order_by(col(ForwardedEventRow.seq))
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def owner_of(self, subject: str) -> RecordOwner | None:
        row = await self._session.get(RecordOwnerRow, subject)
        return RecordOwner(row.owner_org, row.visibility) if row else None

    async def put_owner(self, subject: str, owner: RecordOwner) -> None:
        await self._session.merge(
            RecordOwnerRow(subject=subject, owner_org=owner.owner_org, visibility=owner.visibility)
        )


def _to_domain(row: ForwardedEventRow) -> ForwardedEvent:
    return ForwardedEvent(
        id=row.id,
        type=row.type,
        source=row.source,
        subject=row.subject,
        time=utc(row.time),
        data=row.data,
        owner_org=row.owner_org,
        visibility=row.visibility,
        seq=row.seq or 0,
    )
