"""Writing audit entries inside a unit of work's transaction, and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.audit.tables import ANONYMOUS
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.ports import Clock
from multitrack_shared.times import utc, utc_now

MAX_PAGE = 200


@dataclass(frozen=True)
class Change:
    """One state change of one record, as the audit names it."""

    record_type: str
    record_id: str
    action: str
    event_id: str | None = None


def change_published(envelope: Envelope) -> Change:
    """The change an event announces: ``multitrack.<record type>.<happened>.v<N>`` of its key."""
    parts = envelope.type.split(".")
    record_type = parts[1] if len(parts) >= 4 else envelope.type
    return Change(record_type, envelope.subject, envelope.type, envelope.id)


class AuditTrail:
    """Appends entries to a service's ``audit_log``; nothing here updates or deletes one."""

    def __init__(self, table: Table, clock: Clock = utc_now) -> None:
        self.table = table
        self._clock = clock

    async def append(
        self,
        session: AsyncSession,
        changes: Sequence[Change],
        actor: Principal | None,
        request_id: str | None,
    ) -> None:
        if not changes:
            return
        at = self._clock()
        who = {
            "actor_kind": actor.kind.value if actor else ANONYMOUS,
            "actor_subject": actor.subject if actor else None,
            "actor_organization": actor.organization if actor else None,
            "actor_client": actor.client_id if actor else None,
            "request_id": request_id,
        }
        rows = [
            {
                "at": at,
                "record_type": change.record_type,
                "record_id": change.record_id,
                "action": change.action,
                "event_id": change.event_id,
                **who,
            }
            for change in changes
        ]
        await session.exec(insert(self.table), params=rows)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    record_type: str
    record_id: str
    action: str
    actor_kind: str
    actor_subject: str | None
    actor_organization: str | None
    actor_client: str | None
    request_id: str | None
    event_id: str | None


@dataclass(frozen=True)
class AuditQuery:
    record_id: str | None = None
    organization: str | None = None
    """The acting organization."""
    after: int | None = None
    """Entries after this ``seq``: the previous page's last."""
    limit: int = 50


async def read_audit(
    connection: AsyncConnection, table: Table, query: AuditQuery
) -> list[AuditEntry]:
    """Entries in the order they were written, ``query.limit`` at most (``MAX_PAGE`` cap)."""
    statement = select(table).order_by(table.c.seq).limit(min(max(query.limit, 1), MAX_PAGE))
    if query.record_id is not None:
        statement = statement.where(table.c.record_id == query.record_id)
    if query.organization is not None:
        statement = statement.where(table.c.actor_organization == query.organization)
    if query.after is not None:
        statement = statement.where(table.c.seq > query.after)
    rows = (await connection.execute(statement)).mappings().all()
    return [AuditEntry(**{**row, "at": utc(row["at"])}) for row in rows]
