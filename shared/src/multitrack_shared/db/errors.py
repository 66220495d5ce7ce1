"""Telling a database that is gone from a request or an event that is wrong."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached or used right now.

    Such a failure is nobody's input's fault: the HTTP layer answers 503 and the consumer waits
    for the database instead of spending an event's attempts. A refused connection may arrive
    unwrapped (``OSError``) from the driver's connect.
    """
    if isinstance(error, OperationalError | OSError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or _outage_sqlstate(error)


OUTAGE_SQLSTATE_CLASSES = ("08", "57")
"""Connection exceptions, and operator intervention (a server shutting down or starting)."""


def _outage_sqlstate(error: DBAPIError) -> bool:
    sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
    return sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES
