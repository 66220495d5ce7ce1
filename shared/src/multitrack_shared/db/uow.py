"""The unit of work: one database transaction holding both a change and the events it publishes."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar, overload

from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.audit.trail import AuditTrail, Change, change_published
from multitrack_shared.auth.principal import Principal
from multitrack_shared.db.engine import SessionFactory
from multitrack_shared.db.errors import commit_or_doubt
from multitrack_shared.events.envelope import Envelope, IntegrationEvent, still_published
from multitrack_shared.messaging.outbox import ForwardedCopy, Outbox
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.tracing import current_trace_context

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


class CommitTaker(Protocol):
    """Ends a unit's transaction in its stead: the unit's commit writes the outbox and audit
    rows, flushes, and hands the open transaction over (``http.idempotency`` adds the answer of
    the request to it, then commits). ``after_commit`` is for the taker to call once committed."""

    async def take(
        self, session: AsyncSession, after_commit: Callable[[], None] | None
    ) -> None: ...


class UnitOfWork:
    """Opens a session; ``publish`` writes outbox rows in the same transaction as the change.

    After a commit that published anything, ``after_commit`` wakes the outbox relay, so events
    leave right away instead of at the next poll. A rollback drops them with the change.
    Services subclass it and declare their repositories as ``Repository`` attributes.

    With an ``audit`` trail, the commit also writes one audit entry per published event and
    per ``record_change``, in the same transaction, naming the ``actor`` and ``request_id``
    the unit acts for (``acting_as``): a request's caller, or the service itself applying an
    event it consumed.
    """

    session: AsyncSession

    def __init__(
        self,
        sessions: SessionFactory,
        outbox: Outbox,
        after_commit: Callable[[], None],
        audit: AuditTrail | None = None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._after_commit = after_commit
        self._audit = audit
        self._pending: list[IntegrationEvent] = []
        self._changes: list[Change] = []
        self._forwarded: list[ForwardedCopy] = []
        self._announces = False
        """Whether a row was staged for the outbox since the transaction began."""
        self.actor: Principal | None = None
        self.request_id: str | None = None
        self.consumed: Envelope | None = None
        """The event the consumer runtime applies in this unit, as it came (id, source, time)."""
        self._taker: CommitTaker | None = None
        self._taken = False

    def acting_as(
        self, actor: Principal | None, request_id: str | None, consumed: Envelope | None = None
    ) -> Self:
        """Who the unit's changes are by, and the request (or consumed event) they came from."""
        self.actor = actor
        self.request_id = request_id
        self.consumed = consumed
        return self

    def committed_by(self, taker: CommitTaker | None) -> Self:
        """Let ``taker`` end the transaction of the unit's next commit (once)."""
        self._taker = taker
        return self

    async def __aenter__(self) -> Self:
        self._taken = False
        self.session = self._sessions()
        self._pending = []
        self._changes = []
        self._forwarded = []
        self._announces = False
        for repository in _declared_repositories(type(self)):
            repository.open_on(self, self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._taken:
            return  # the taker commits or rolls back, and closes the session
        await self.session.rollback()
        await self.session.close()

    def publish(self, event: IntegrationEvent) -> None:
        self._pending.append(still_published(event))

    def forward(self, envelope: Envelope, topic: TopicSpec) -> None:
        """Copy a consumed event onto ``topic`` through the outbox, at commit (not audited: the
        copy changes nothing here), in the trace running now.

        Unlike published events, copies are not written by ``stage`` but all at once at
        commit, in one statement: the consumer runtime forwards most events of a poll it
        applies together (the partners service copies every consortium-visible one to the
        partner feed), and nothing reads a copy's row before the commit."""
        self._forwarded.append(ForwardedCopy(envelope, topic, current_trace_context()))

    def record_change(self, record_type: str, record_id: str, action: str) -> None:
        """Audit a change that publishes no event; written at commit, dropped by a rollback."""
        if self._audit is None:
            raise RuntimeError(
                "this unit of work keeps no audit log: declare the service's audit_log table"
            )
        self._changes.append(Change(record_type, record_id, action))

    async def stage(self) -> None:
        """Write the outbox and audit rows of what was published since the last ``stage`` into
        the open transaction now, naming the actor and request the unit acts for now and the
        current trace: the consumer runtime applies a poll's events in one transaction, each
        under its own event id and span, and commits once."""
        published, self._pending = self._pending, []
        changes, self._changes = self._changes, []
        envelopes = await self._outbox.write(self.session, published)
        if self._audit is not None:
            audited = [*map(change_published, envelopes), *changes]
            await self._audit.append(self.session, audited, self.actor, self.request_id)
        self._announces = self._announces or bool(published)

    async def commit(self) -> None:
        await self.stage()
        forwarded, self._forwarded = self._forwarded, []
        await self._outbox.forward(self.session, forwarded)
        self._announces = self._announces or bool(forwarded)
        announces, self._announces = self._announces, False
        if self._taker is not None:
            taker, self._taker = self._taker, None
            await taker.take(self.session, self._after_commit if announces else None)
            self._taken = True
            return
        await commit_or_doubt(self.session)
        if announces:
            self._after_commit()

    async def rollback(self) -> None:
        await self.session.rollback()
        self._announces = False
        self._pending = []
        self._changes = []
        self._forwarded = []


def _declared_repositories(unit: type[UnitOfWork]) -> list[Repository[Any]]:
    return [
        value
        for cls in unit.__mro__
        for value in vars(cls).values()
        if isinstance(value, Repository)
    ]
