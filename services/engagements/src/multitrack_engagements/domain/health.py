"""Commitment health: how far into its commitment an engagement is, and whether it went quiet.

Months are whole calendar months: from 31 January, one month has passed on 1 March, not on
28 February. ``quiet_cutoff`` is the exact inverse of that count, so the search filter
``quiet=true`` and the view's ``quiet`` flag always agree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

QUIET_AFTER_MONTHS = 6


@dataclass(frozen=True)
class CommitmentHealth:
    days_elapsed: int
    days_left: int
    share_elapsed: float
    months_without_activity: int
    quiet: bool


def commitment_health(
    *, start: date, committed_until: date, last_activity_on: date | None, today: date
) -> CommitmentHealth:
    elapsed = max(0, (today - start).days)
    span = max(1, (committed_until - start).days)
    months = months_between(last_activity_on or start, today)
    return CommitmentHealth(
        days_elapsed=elapsed,
        days_left=max(0, (committed_until - today).days),
        share_elapsed=round(min(1.0, elapsed / span), 3),
        months_without_activity=months,
        quiet=months >= QUIET_AFTER_MONTHS,
    )


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later``; 0 when ``later`` is not after it."""
    if later <= earlier:
        return 0
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def quiet_cutoff(today: date) -> date:
    """The latest last-activity date that makes an engagement quiet on ``today``.

    ``months_between(d, today) >= QUIET_AFTER_MONTHS`` exactly when ``d <= quiet_cutoff(today)``.
    """
    year, month0 = divmod(today.year * 12 + today.month - 1 - QUIET_AFTER_MONTHS, 12)
    month = month0 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
