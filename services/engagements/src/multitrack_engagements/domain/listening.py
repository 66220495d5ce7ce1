"""The listening ledger: every side of the conflict is heard before the work begins.

Complete when every side of the latest conflict analysis has been heard at least once (never
complete without an analysis). Imbalanced — the one rule, ``is_imbalanced`` — when the
most-heard side of the analysis has at least ``IMBALANCE_RATIO`` times the entries of the
least-heard one, a never-heard side counting 0 (so 3 against 0 is flagged, 2 against 0 not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from multitrack_engagements.domain.analysis import distinct_sides, side_key
from multitrack_shared.errors import DomainError

IMBALANCE_RATIO = 3


@dataclass(frozen=True)
class HeardParty:
    id: str
    engagement_id: str
    who: str
    side: str
    track: int
    needs: tuple[str, ...]
    heard_by: str
    heard_on: date
    recorded_at: datetime

    def __post_init__(self) -> None:
        if not 1 <= self.track <= 9:
            raise DomainError("a track is 1 to 9", field="track", code="track_out_of_range")
        if not self.side.strip():
            raise DomainError("say which side was heard", field="side", code="required")


@dataclass(frozen=True)
class ListeningSummary:
    heard_per_side: dict[str, int]
    complete: bool
    missing_sides: list[str]
    imbalanced: bool


def is_imbalanced(counts: Sequence[int]) -> bool:
    if len(counts) < 2:
        return False
    return max(counts) >= IMBALANCE_RATIO * max(min(counts), 1)


def summarize(analysis_sides: Sequence[str] | None, heard_sides: Sequence[str]) -> ListeningSummary:
    """``analysis_sides`` is None when the engagement has no conflict analysis yet."""
    sides = distinct_sides([*(analysis_sides or ()), *heard_sides])
    counts = {side_key(side): 0 for side in sides}
    for side in heard_sides:
        counts[side_key(side)] += 1
    wanted = distinct_sides(analysis_sides or ())
    missing = [side for side in wanted if counts[side_key(side)] == 0]
    return ListeningSummary(
        heard_per_side={side: counts[side_key(side)] for side in sides},
        complete=analysis_sides is not None and bool(wanted) and not missing,
        missing_sides=missing,
        imbalanced=is_imbalanced([counts[side_key(side)] for side in wanted]),
    )
