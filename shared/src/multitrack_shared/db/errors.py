"""Telling a database that is gone from a request or an event that is wrong."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession


class CommitInDoubt(Exception):
    """The database went away while a transaction was being committed: the server may have
    committed it before the link failed, or not, and nothing here can tell which.

    An HTTP write answers 503 ``commit_outcome_unknown`` rather than claiming that nothing was
    written; a retry with the same ``Idempotency-Key`` learns the outcome. The consumer
    treats it as any outage: it waits and applies the event again, and its inbox absorbs the
    second application if the first one was kept.
    """


async def commit_or_doubt(session: AsyncSession) -> None:
    """Commit ``session``; an outage during the commit raises ``CommitInDoubt``."""
    try:
        await session.commit()
    except Exception as exc:
        if database_unavailable(exc):
            raise CommitInDoubt(repr(exc)) from exc
        raise


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached or used right now.

    Such a failure is nobody's input's fault: the HTTP layer answers 503 and the consumer waits
    for the database instead of spending an event's attempts. A refused connection may arrive
    unwrapped (``OSError``) from the driver's connect.
    """
    if isinstance(error, OperationalError | OSError | CommitInDoubt):
        return True
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or _outage_sqlstate(error)


OUTAGE_SQLSTATE_CLASSES = ("08", "57")
"""Connection exceptions, and operator intervention (a server shutting down or starting)."""


def _outage_sqlstate(error: DBAPIError) -> bool:
    sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
    return sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES
