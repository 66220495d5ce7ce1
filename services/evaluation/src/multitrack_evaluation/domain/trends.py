"""Empowerment, the synthesis of wisdom, responsibility and transformation over time, computed
from the records evaluation keeps (never typed in), quarter by quarter.

- empowerment (standard 11): the share of the quarter's activities designed and led by local
  people (``Activity.local_initiative``);
- synthesis of wisdom (standard 7): local/indigenous and external methods used;
- responsibility (standard 10): of the former participants the quarter's follow-ups reached,
  the share using the skills they gained;
- transformation (standard 12): each side's mean attitude score (0..1) in the quarter,
  weighted by respondents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from multitrack_evaluation.domain.facts import Activity, AttitudeReading, EngagementRecord, FollowUp

LOCAL = "local"
T = TypeVar("T")


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass(frozen=True)
class Figures:
    """The four measures over a span of days (a quarter, or an evaluation's period)."""

    activities: int
    local_initiatives: int
    empowerment: float | None
    local_methods: int
    external_methods: int
    local_methods_share: float | None
    participants_reached: int
    using_skills: int
    skills_share: float | None
    attitude_by_side: dict[str, float]
    """Mean attitude score per side, 0..1, weighted by respondents."""

    @property
    def transformation(self) -> float | None:
        """The sides' attitude scores averaged, each side counting once."""
        scores = list(self.attitude_by_side.values())
        return round(sum(scores) / len(scores), 3) if scores else None


@dataclass(frozen=True)
class QuarterFigures:
    quarter: str
    figures: Figures


@dataclass(frozen=True)
class ConflictTrends:
    """The quarters of every engagement on one conflict that its reader may see, together."""

    conflict_id: str
    engagement_ids: tuple[str, ...]
    quarters: list[QuarterFigures]


def figures(
    activities: Iterable[Activity],
    follow_ups: Iterable[FollowUp],
    readings: Iterable[AttitudeReading],
) -> Figures:
    held = list(activities)
    followed = list(follow_ups)
    local_initiatives = sum(1 for a in held if a.local_initiative)
    methods = [m for a in held for m in a.methods]
    local_methods = sum(1 for m in methods if m.origin == LOCAL)
    reached = sum(f.participants_reached for f in followed)
    using = sum(f.using_skills for f in followed)
    return Figures(
        activities=len(held),
        local_initiatives=local_initiatives,
        empowerment=share(local_initiatives, len(held)),
        local_methods=local_methods,
        external_methods=len(methods) - local_methods,
        local_methods_share=share(local_methods, len(methods)),
        participants_reached=reached,
        using_skills=using,
        skills_share=share(using, reached),
        attitude_by_side=_attitudes(readings),
    )


def _attitudes(readings: Iterable[AttitudeReading]) -> dict[str, float]:
    weighted: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for reading in readings:
        weighted[reading.side].append((reading.score, reading.respondents))
    return {
        side: round(sum(s * n for s, n in scores) / sum(n for _, n in scores), 3)
        for side, scores in sorted(weighted.items())
    }


def over_period(record: EngagementRecord, start: date, end: date) -> Figures:
    """What the records say of the days from ``start`` to ``end``, both included."""

    def within(day: date) -> bool:
        return start <= day <= end

    return figures(
        (a for a in record.activities if within(a.held_on)),
        (f for f in record.follow_ups if within(f.held_on)),
        (r for r in record.attitudes if within(r.administered_on)),
    )


def by_quarter(
    record: EngagementRecord, start: date | None = None, end: date | None = None
) -> list[QuarterFigures]:
    """Every quarter in which something was recorded, oldest first (within the days given)."""
    return across([record], start, end)


def across(
    records: Iterable[EngagementRecord], start: date | None = None, end: date | None = None
) -> list[QuarterFigures]:
    """The quarters of several engagements' records taken together, as if one engagement's
    (the series of a conflict: every engagement on it its caller may see)."""

    def within(day: date) -> bool:
        return (start is None or start <= day) and (end is None or day <= end)

    def grouped(items: Iterable[T], day: Callable[[T], date]) -> dict[str, list[T]]:
        found: dict[str, list[T]] = defaultdict(list)
        for item in items:
            if within(day(item)):
                found[quarter_of(day(item))].append(item)
        return found

    taken = list(records)
    activities = grouped((a for r in taken for a in r.activities), lambda a: a.held_on)
    follow_ups = grouped((f for r in taken for f in r.follow_ups), lambda f: f.held_on)
    readings = grouped((a for r in taken for a in r.attitudes), lambda r: r.administered_on)
    quarters = sorted({*activities, *follow_ups, *readings})
    return [QuarterFigures(q, figures(activities[q], follow_ups[q], readings[q])) for q in quarters]


def of_conflict(conflict_id: str, records: Iterable[EngagementRecord]) -> ConflictTrends:
    taken = sorted(records, key=lambda r: r.header.engagement_id)
    return ConflictTrends(
        conflict_id=conflict_id,
        engagement_ids=tuple(r.header.engagement_id for r in taken),
        quarters=across(taken),
    )
