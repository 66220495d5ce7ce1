"""What the partners service keeps of an engagement's activities: who took part, as counts,
whether local people led it, and which tracks it worked with. A read model of the
engagements service's ``ActivityRecorded`` events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Tally:
    """How many people of one sex took part in one role."""

    sex: str
    role: str
    count: int


@dataclass(frozen=True)
class ActivityFacts:
    activity_id: str
    engagement_id: str
    held_on: date
    led_locally: bool
    tracks: tuple[int, ...]
    participants: tuple[Tally, ...]


def tallied(counts: Iterable[tuple[str, str, int]]) -> tuple[Tally, ...]:
    """Counts by sex × role, summed over the tracks and sides they were also split by."""
    totals: Counter[tuple[str, str]] = Counter()
    for sex, role, count in counts:
        totals[sex, role] += count
    return tuple(Tally(sex, role, n) for (sex, role), n in sorted(totals.items()))
