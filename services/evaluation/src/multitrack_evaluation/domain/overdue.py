"""Continued evaluation (standard 9): an open engagement is evaluated at least once a year.

An engagement that is not closed and has had no evaluation completed in the last twelve
months is overdue; the months are counted from its last evaluation, or from its opening when
it has never been evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from multitrack_evaluation.domain.facts import CLOSED

INTERVAL_MONTHS = 12


@dataclass(frozen=True)
class Standing:
    """Where one engagement stands, as the overdue rule needs it."""

    engagement_id: str
    status: str
    opened_at: datetime
    last_evaluated_at: datetime | None


@dataclass(frozen=True)
class Overdue:
    engagement_id: str
    status: str
    since: date
    ever_evaluated: bool
    months: int


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 when later is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def overdue(standings: list[Standing], today: date) -> list[Overdue]:
    """The overdue engagements, longest without an evaluation first."""
    found = [o for o in (_overdue(s, today) for s in standings) if o is not None]
    return sorted(found, key=lambda o: (-o.months, o.since, o.engagement_id))


def _overdue(standing: Standing, today: date) -> Overdue | None:
    if standing.status == CLOSED:
        return None
    since = (standing.last_evaluated_at or standing.opened_at).date()
    months = months_between(since, today)
    if months < INTERVAL_MONTHS:
        return None
    return Overdue(
        engagement_id=standing.engagement_id,
        status=standing.status,
        since=since,
        ever_evaluated=standing.last_evaluated_at is not None,
        months=months,
    )
