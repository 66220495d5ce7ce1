"""Memos: a tiny service built the way every service is, to test the identity and access core.

A memo is owned by its author's organization and is consortium-visible or owner-only; it may
name a contact person (personal) and say why it was written (may name people). Writing one
publishes ``MemoWritten``; changing its title publishes nothing and is audited explicitly; a
``MemoFlagged`` event from elsewhere flags it, applied by the service itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import Field
from sqlalchemy import ColumnElement, Text, func
from sqlalchemy.orm import registry
from sqlmodel import Field as RowField
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.audit.tables import audit_table
from multitrack_shared.auth.policy import Scope
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.uow import Repository, UnitOfWork
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.tables import messaging_tables
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.settings import ServiceSettings


class MemosTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = MemosTable.metadata
messaging = messaging_tables(metadata)
AUDIT_LOG = audit_table(metadata)


class MemoRow(MemosTable, table=True):
    __tablename__ = "memos"

    id: str = RowField(primary_key=True, max_length=36)
    owner_org: str = RowField(max_length=200)
    visibility: str = RowField(max_length=20)
    title: str = RowField(max_length=200)
    contact_name: str | None = RowField(default=None, max_length=200)
    why: str | None = RowField(default=None, sa_type=Text)
    flagged: bool


NOTES = TopicSpec("multitrack.memos.v1", 1, "Memos of the identity and access tests.")


class MemoWritten(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.memo.written.v1"
    topic: ClassVar[TopicSpec] = NOTES
    key_field: ClassVar[str] = "memo_id"

    memo_id: str = Field(description="The memo.")
    ownership: Ownership = Field(description="Who owns the memo and who may read it.")
    title: str = Field(description="The memo's title.")


class MemoFlagged(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.memo.flagged.v1"
    topic: ClassVar[TopicSpec] = NOTES
    key_field: ClassVar[str] = "memo_id"

    memo_id: str = Field(description="The memo flagged.")


@dataclass
class Memo:
    id: str
    owner_org: str
    visibility: str
    title: str
    contact_name: str | None = None
    why: str | None = None
    flagged: bool = False


class SqlMemos:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, memo: Memo) -> None:
        self.session.add(MemoRow(**vars(memo)))

    async def save(self, memo: Memo) -> None:
        row = await self.session.get(MemoRow, memo.id)
        assert row is not None, "saved after a read"
        for name, value in vars(memo).items():
            setattr(row, name, value)

    async def get(self, memo_id: str) -> Memo | None:
        row = await self.session.get(MemoRow, memo_id)
        return None if row is None else _memo(row)

    async def visible(self, scope: Scope) -> list[Memo]:
        query = select(MemoRow).where(_visible(scope)).order_by(col(MemoRow.title))
        return [_memo(row) for row in (await self.session.exec(query)).all()]

    async def count(self, scope: Scope) -> int:
        query = select(func.count()).select_from(MemoRow).where(_visible(scope))
        return (await self.session.exec(query)).one()


def _visible(scope: Scope) -> ColumnElement[bool]:
    return visible_to(scope, col(MemoRow.owner_org), col(MemoRow.visibility))


def _memo(row: MemoRow) -> Memo:
    return Memo(**row.model_dump())


class MemosUnitOfWork(UnitOfWork):
    memos = Repository(SqlMemos)


class MemosSettings(ServiceSettings):
    service_name: str = "memos"


async def on_memo_flagged(event: MemoFlagged, uow: MemosUnitOfWork) -> None:
    memo = await uow.memos.get(event.memo_id)
    if memo is None:
        return
    memo.flagged = True
    await uow.memos.save(memo)
    uow.record_change("memo", memo.id, "flagged")


SERVICE = ServiceParts(
    settings_class=MemosSettings,
    migrations_dir=Path(__file__).resolve().parent / "migrations",
    metadata=metadata,
    messaging=messaging,
    read_models=(),
    uow_class=MemosUnitOfWork,
    handlers={MemoFlagged: on_memo_flagged},
    audit_log=AUDIT_LOG,
)
