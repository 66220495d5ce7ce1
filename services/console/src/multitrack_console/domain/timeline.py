"""The commitment timeline of an engagement: its years, today and its activities on one line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH = 640
LEFT = 20
RIGHT = WIDTH - 20


@dataclass(frozen=True)
class Mark:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    start: date
    end: date
    years: list[Mark]
    today: Mark | None
    activities: list[Mark]
    days_left: int
    share_elapsed: float


def position(day: date, start: date, end: date) -> float:
    """Where ``day`` falls between ``start`` and ``end``, clamped to the line."""
    span = max((end - start).days, 1)
    share = min(max((day - start).days / span, 0.0), 1.0)
    return round(LEFT + (RIGHT - LEFT) * share, 1)


def draw_timeline(
    start: date, end: date, today: date, activities: list[tuple[date, str]]
) -> Timeline:
    years = [
        Mark(position(start.replace(year=start.year + n), start, end), f"year {n + 1}")
        for n in range(max(end.year - start.year, 1))
    ]
    return Timeline(
        width=WIDTH,
        start=start,
        end=end,
        years=years,
        today=Mark(position(today, start, end), "today") if start <= today <= end else None,
        activities=[Mark(position(held, start, end), what) for held, what in activities],
        days_left=max((end - today).days, 0),
        share_elapsed=min(max((today - start).days / max((end - start).days, 1), 0.0), 1.0),
    )
