"""Transformation (standard 12): attitudes toward those "traditionally seen as the enemy",
measured over time.

An instrument is a set of items (statements respondents rate) on one scale, whose high end is
the most accepting of the other side. It is administered to a group of one side on a day; the
group's mean rating of each item is recorded, never who answered. Its score is the mean of the
item means put on 0..1, so that instruments on different scales read alike in the trends.
An instrument is never changed once defined: measurements taken with it must stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from multitrack_evaluation.domain.evaluations import EngagementLife
from multitrack_shared.errors import Conflict, DomainError


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    """The most accepting answer."""

    def __post_init__(self) -> None:
        if self.high <= self.low:
            raise DomainError(
                "a scale's high end is above its low end", field="scale.high", code="scale_reversed"
            )

    def normalized(self, mean: float) -> float:
        return round((mean - self.low) / (self.high - self.low), 3)


@dataclass(frozen=True)
class Instrument:
    code: str
    label: str
    items: tuple[str, ...]
    """The statements rated, worded to name no one."""
    scale: Scale
    owner_org: str
    visibility: str
    defined_at: datetime

    def __post_init__(self) -> None:
        if not self.items:
            raise DomainError("an instrument has at least one item", field="items", code="required")
        if len(set(self.items)) != len(self.items):
            raise DomainError("each item once", field="items", code="items_not_distinct")


def new_instrument(instrument: Instrument, existing: Instrument | None) -> Instrument:
    if existing is not None:
        raise Conflict(
            f"an instrument {instrument.code!r} exists; an instrument is never changed, so "
            "measurements taken with it stay comparable: define a new one",
            field="code",
            code="duplicate",
        )
    return instrument


@dataclass(frozen=True)
class Administration:
    """What the evaluators bring back: who (a side), when, how many answered, the item means."""

    engagement_id: str
    instrument: str
    side: str
    administered_on: date
    respondents: int
    item_means: tuple[float, ...]


@dataclass(frozen=True)
class MeasurementFrame:
    """What evaluation knows of the engagement: its owner, its life, the sides its analyses
    name (any side, before an analysis names them)."""

    owner_org: str
    visibility: str
    life: EngagementLife
    sides: frozenset[str]


@dataclass(frozen=True)
class Measurement:
    id: str
    engagement_id: str
    owner_org: str
    visibility: str
    instrument: str
    side: str
    administered_on: date
    respondents: int
    item_means: tuple[float, ...]
    score: float
    recorded_at: datetime


def measure(
    given: Administration,
    instrument: Instrument,
    frame: MeasurementFrame,
    *,
    id: str,
    at: datetime,
) -> Measurement:
    _check_day(given.administered_on, frame.life)
    if frame.sides and given.side not in frame.sides:
        raise DomainError(
            f"the engagement's analyses name the sides {', '.join(sorted(frame.sides))}",
            field="side",
            code="unknown_side",
        )
    _check_means(given.item_means, instrument)
    mean = sum(given.item_means) / len(given.item_means)
    return Measurement(
        id=id,
        engagement_id=given.engagement_id,
        owner_org=frame.owner_org,
        visibility=frame.visibility,
        instrument=instrument.code,
        side=given.side,
        administered_on=given.administered_on,
        respondents=given.respondents,
        item_means=given.item_means,
        score=instrument.scale.normalized(mean),
        recorded_at=at,
    )


def _check_day(day: date, life: EngagementLife) -> None:
    if day < life.start:
        raise DomainError(
            f"administered before the engagement began ({life.start})",
            field="administered_on",
            code="before_engagement",
        )
    if day > life.last:
        raise DomainError(
            f"administered after {life.last}, the last day the engagement has lived",
            field="administered_on",
            code="after_engagement",
        )


def _check_means(means: tuple[float, ...], instrument: Instrument) -> None:
    if len(means) != len(instrument.items):
        raise DomainError(
            f"the instrument has {len(instrument.items)} items: one mean each, in order",
            field="item_means",
            code="items_mismatch",
        )
    scale = instrument.scale
    for i, mean in enumerate(means):
        if not scale.low <= mean <= scale.high:
            raise DomainError(
                f"an item's mean lies on the scale, {scale.low} to {scale.high}",
                field=f"item_means.{i}",
                code="score_out_of_range",
            )
