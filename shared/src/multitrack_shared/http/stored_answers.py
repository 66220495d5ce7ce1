"""The answers kept for idempotency keys, and the claim a request makes on its key.

A request sent with a key it has not used yet runs with a ``Claim``: its unit of work hands the
claim its transaction at commit (``db.uow.CommitTaker``), and once the route has answered, the
claim adds the answer to that same transaction and commits. So a write and the answer to its
key are kept or lost together: a crash between them cannot leave one without the other.

Two requests with one key race on the row's primary key: the second one's insert waits for the
first's transaction (PostgreSQL's unique index; SQLite's single writer) and then fails, its
whole transaction rolled back, and it answers with the first one's kept answer instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.db.errors import commit_or_doubt
from multitrack_shared.times import utc

KEPT_HEADERS = frozenset({"content-type", "etag", "location", "link", "cache-control"})
"""Headers of an answer kept with its status and body: those that describe what was answered."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def not_to_be_stored(self) -> bool:
        """``Cache-Control: no-store``: the answer carries a secret (a signing secret shown
        once), which must not be kept in the clear."""
        return any(
            name.lower() == "cache-control" and "no-store" in value.lower()
            for name, value in self.headers
        )

    def withheld(self) -> Answer:
        """What is kept of an answer not to be stored: its status and headers, no body."""
        return Answer(self.status, self.headers, b"")


@dataclass(frozen=True)
class KeptAnswer:
    fingerprint: str
    """The digest of the request body the answer was for."""
    answer: Answer


class IdempotencyKeys:
    """The ``idempotency_keys`` table of a service: one kept answer per key id."""

    def __init__(self, engine: AsyncEngine, table: Table, hours: float) -> None:
        self._engine = engine
        self._table = table
        self._kept_for = timedelta(hours=hours)

    async def find(self, key_id: str) -> KeptAnswer | None:
        """The answer kept for ``key_id``, unless it has expired (then it is forgotten now, so
        that the key can be used again before the pruning comes by)."""
        table = self._table
        now = datetime.now(UTC)
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(select(table).where(table.c.id == key_id))
            ).one_or_none()
            if row is None:
                return None
            if utc(row.expires_at) <= now:
                await connection.execute(
                    delete(table).where(table.c.id == key_id, table.c.expires_at <= now)
                )
                return None
        headers = [(str(name), str(value)) for name, value in row.headers]
        return KeptAnswer(row.fingerprint, Answer(row.status, headers, bytes(row.body)))

    async def keep(
        self, session: AsyncSession, key_id: str, fingerprint: str, answer: Answer
    ) -> None:
        now = datetime.now(UTC)
        kept = [[name, value] for name, value in answer.headers if name.lower() in KEPT_HEADERS]
        await session.exec(
            insert(self._table).values(
                id=key_id,
                fingerprint=fingerprint,
                status=answer.status,
                headers=kept,
                body=answer.body,
                created_at=now,
                expires_at=now + self._kept_for,
            )
        )


class Claim:
    """A request's claim on a key it has not used yet; the ``CommitTaker`` of its unit of work."""

    def __init__(self, keys: IdempotencyKeys, key_id: str, fingerprint: str) -> None:
        self.keys = keys
        self.key_id = key_id
        self.fingerprint = fingerprint
        self._session: AsyncSession | None = None
        self._after_commit: Callable[[], None] | None = None

    @property
    def holds_a_write(self) -> bool:
        """Whether a unit of work handed over its transaction, not yet committed."""
        return self._session is not None

    async def take(self, session: AsyncSession, after_commit: Callable[[], None] | None) -> None:
        # Flushed now, so a rule the database enforces still fails inside the handler.
        await session.flush()
        self._session = session
        self._after_commit = after_commit

    async def settle(self, answer: Answer) -> bool:
        """Keep ``answer`` with the write and commit both; False when another request with the
        same key committed first (this one's write is then rolled back)."""
        session = self._taken()
        try:
            await self.keys.keep(session, self.key_id, self.fingerprint, answer)
            await commit_or_doubt(session)
        except IntegrityError:
            await session.rollback()
            return False
        finally:
            await session.close()
        if self._after_commit is not None:
            self._after_commit()
        return True

    async def abandon(self) -> None:
        """Roll back the write handed over, if any: its request did not succeed."""
        if self._session is None:
            return
        session = self._taken()
        try:
            await session.rollback()
        finally:
            await session.close()

    def _taken(self) -> AsyncSession:
        session, self._session = self._session, None
        if session is None:
            raise RuntimeError("no transaction was handed over")
        return session
