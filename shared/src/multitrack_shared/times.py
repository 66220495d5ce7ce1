"""Instants are stored and compared in UTC. SQLite hands datetimes back without an offset, so
every instant read back, or given as a bound, goes through ``utc`` first.

Framework-free: domain code may use it too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import overload

LATEST_OFFSET = timedelta(hours=14)
"""UTC+14 is the latest local time on Earth: the furthest a local date runs ahead of UTC."""


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


def latest_today(now: datetime) -> date:
    """The latest local day on Earth at ``now``: a day that is already today somewhere is
    never in the future, wherever the work happens."""
    return (utc(now) + LATEST_OFFSET).date()
