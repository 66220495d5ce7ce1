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
    return isinstance(error, DBAPIError) and error.connection_invalidated
