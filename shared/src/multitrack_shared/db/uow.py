"""The unit of work: one database transaction holding both a change and the events it publishes."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, overload

from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.db.engine import SessionFactory
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.outbox import Outbox

R = TypeVar("R")


class Repository(Generic[R]):
    """A repository a unit of work offers, declared on its class::

        class InvitationsUnitOfWork(UnitOfWork):
            invitations = Repository(SqlInvitationRepository)

    Each time the unit opens, it builds every declared repository on its new session, so
    ``uow.invitations`` is a ``SqlInvitationRepository`` inside ``async with uow:``.
    """

    def __init__(self, build: Callable[[AsyncSession], R]) -> None:
        self._build = build
        self._name = ""

    def __set_name__(self, owner: type[UnitOfWork], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type[UnitOfWork]) -> Repository[R]: ...
    @overload
    def __get__(self, uow: UnitOfWork, owner: type[UnitOfWork]) -> R: ...
    def __get__(self, uow: UnitOfWork | None, owner: type[UnitOfWork]) -> Repository[R] | R:
        if uow is None:
            return self
        # Reached only before the unit is opened: opening puts the built repository in the
        # instance, where attribute lookup finds it first.
        raise RuntimeError(f"uow.{self._name} exists only inside `async with uow:`")

    def open_on(self, uow: UnitOfWork, session: AsyncSession) -> None:
        vars(uow)[self._name] = self._build(session)


class UnitOfWork:
    """Opens a session; ``publish`` writes outbox rows in the same transaction as the change.

    After a commit that published anything, ``after_commit`` wakes the outbox relay, so events
    leave right away instead of at the next poll. A rollback drops them with the change.
    Services subclass it and declare their repositories as ``Repository`` attributes.
    """

    session: AsyncSession

    def __init__(
        self, sessions: SessionFactory, outbox: Outbox, after_commit: Callable[[], None]
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._after_commit = after_commit
        self._pending: list[IntegrationEvent] = []

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._pending = []
        for repository in _declared_repositories(type(self)):
            repository.open_on(self, self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    def publish(self, event: IntegrationEvent) -> None:
        self._pending.append(event)

    async def commit(self) -> None:
        published, self._pending = self._pending, []
        await self._outbox.write(self.session, published)
        await self.session.commit()
        if published:
            self._after_commit()

    async def rollback(self) -> None:
        await self.session.rollback()
        self._pending = []


def _declared_repositories(unit: type[UnitOfWork]) -> list[Repository[Any]]:
    return [
        value
        for cls in unit.__mro__
        for value in vars(cls).values()
        if isinstance(value, Repository)
    ]
