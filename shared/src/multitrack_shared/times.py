"""Instants are stored and compared in UTC. SQLite hands datetimes back without an offset, so
every instant read back, or given as a bound, goes through ``utc`` first.

Framework-free: domain code may use it too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def utc(moment: datetime) -> datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: datetime | None) -> datetime | None:
    """The same instant in UTC; a naive one is taken to be UTC already."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The system clock: what every service's use cases get as their ``Clock``."""
    return datetime.now(UTC)
