"""Every SQL query on the events received for webhooks and on whose records they are about."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import ForwardedEventRow, metadata
from multitrack_partners.application.webhook_ports import RecordOwner
from multitrack_partners.domain.subscriptions import ForwardedEvent
from multitrack_shared.db.upserts import insert_on_conflict
from multitrack_shared.times import utc

# The tables themselves, for the statements forwarding runs for every event: Core statements
# skip the ORM's work around each one (about a third of their cost in the client).
FORWARDED_EVENTS = metadata.tables["forwarded_events"]
RECORD_OWNERS = metadata.tables["record_owners"]


class SqlForwardedEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, event_id: str) -> ForwardedEvent | None:
        query = select(ForwardedEventRow).where(ForwardedEventRow.id == event_id)
        row = (await self._session.exec(query)).first()
        return _to_domain(row) if row else None

    async def add(self, event: ForwardedEvent) -> bool:
        # One statement: the insert itself tells whether the event was stored already.
        statement = (
            insert_on_conflict(self._session, FORWARDED_EVENTS)
            .values(
                id=event.id,
                type=event.type,
                source=event.source,
                subject=event.subject,
                time=event.time,
                data=event.data,
                owner_org=event.owner_org,
                visibility=event.visibility,
            )
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(FORWARDED_EVENTS.c.seq)
        )
        return (await self._session.exec(statement)).first() is not None

    async def since(self, time: datetime) -> list[ForwardedEvent]:
        query = (
            select(ForwardedEventRow)
            .where(col(ForwardedEventRow.time) >= time)
            .order_by(col(ForwardedEventRow.seq))
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def owner_of(self, subject: str) -> RecordOwner | None:
        # Columns, not the mapped row: read from the database every time, never from the
        # session's identity map, which ``put_owner``'s statement does not update.
        owners = RECORD_OWNERS.c
        query = select(owners.owner_org, owners.visibility).where(owners.subject == subject)
        row = (await self._session.exec(query)).first()
        return RecordOwner(*row) if row else None

    async def put_owner(self, subject: str, owner: RecordOwner) -> None:
        statement = insert_on_conflict(self._session, RECORD_OWNERS).values(
            subject=subject, owner_org=owner.owner_org, visibility=owner.visibility
        )
        await self._session.exec(
            statement.on_conflict_do_update(
                index_elements=["subject"],
                set_={
                    "owner_org": statement.excluded.owner_org,
                    "visibility": statement.excluded.visibility,
                },
            )
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
