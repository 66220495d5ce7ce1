"""One family of domain errors; the HTTP layer maps each to a status by one handler.

Kept free of any framework so that services' domain modules may raise these.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A request that breaks a rule of the domain. ``code`` is stable and machine-readable."""

    status_code = 422
    code = "rule_violated"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


def found(value: T | None, message: str, *, field: str) -> T:
    """``value`` when there is one; otherwise ``NotFound`` with ``message``, naming ``field``."""
    if value is None:
        raise NotFound(message, field=field)
    return value


class Conflict(DomainError):
    """The request is valid but the record's current state does not allow it."""

    status_code = 409
    code = "state_conflict"


class Forbidden(DomainError):
    """The caller is known but may not do this (403); ``code`` says why."""

    status_code = 403
    code = "forbidden"


class ConcurrentUpdate(DomainError):
    """Another request changed the record between this one's read and its write: this one
    lost the race, and nothing it did was kept. Reading the record again and retrying is safe."""

    status_code = 409
    code = "concurrent_update"


class PreconditionFailed(DomainError):
    """The client's ``If-Match`` names a version the record is no longer at."""

    status_code = 412
    code = "precondition_failed"


class Unauthenticated(DomainError):
    """No caller could be established: no bearer token, or one that does not verify (401).

    ``code`` says which: ``token_missing``, ``token_expired`` or ``token_invalid``.
    """

    status_code = 401
    code = "token_invalid"

    @property
    def token_presented(self) -> bool:
        return self.code != "token_missing"


class Unavailable(DomainError):
    """Something the request depends on does not answer; nothing was done, retry later (503)."""

    status_code = 503
    code = "unavailable"
