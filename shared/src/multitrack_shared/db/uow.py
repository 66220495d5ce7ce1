"""The unit of work: one database transaction holding both a change and the events it publishes."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.db.engine import SessionFactory
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.outbox import Outbox


class UnitOfWork:
    """Opens a session; ``publish`` writes outbox rows in the same transaction as the change.

    After a commit that published anything, ``after_commit`` wakes the outbox relay, so events
    leave right away instead of at the next poll. A rollback drops them with the change.
    Services subclass it and build their repositories in ``_opened``.
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
        self._opened()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    def _opened(self) -> None:
        """Hook for subclasses: build repositories on ``self.session``."""

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
