"""Dates that make sense: what an engagement records falls within its life, and what is
planned ahead falls within a horizon the service is configured with.

Days are local to the place where things happen, so "today" is the latest local day on Earth
(``times.latest_today``): a day that is already today somewhere is never in the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from multitrack_shared.errors import DomainError
from multitrack_shared.times import latest_today

DEFAULT_HORIZON_DAYS = 730
"""How far ahead an activity may be planned, unless the service is configured otherwise."""


@dataclass(frozen=True)
class Life:
    """The days an engagement's records may fall on."""

    start: date
    closed_on: date | None
    latest: date
    """The latest day allowed: today anywhere, plus the planning horizon where one applies."""

    def require(self, on: date, *, field: str) -> date:
        if on < self.start:
            raise DomainError(
                f"{on} is before the engagement began ({self.start})",
                field=field,
                code="before_engagement",
            )
        if self.closed_on is not None and on > self.closed_on:
            raise DomainError(
                f"{on} is after the engagement closed ({self.closed_on})",
                field=field,
                code="after_engagement",
            )
        if on > self.latest:
            raise DomainError(
                f"{on} is beyond {self.latest}, the furthest ahead a date may be",
                field=field,
                code="beyond_horizon",
            )
        return on


def life_of(start: date, closed_on: date | None, now: datetime, horizon_days: int = 0) -> Life:
    return Life(start, closed_on, latest_today(now) + timedelta(days=horizon_days))
