"""The lesson learned: standard procedure 9, "action research".

Evaluation goes on while the work goes on; what it teaches is recorded as a lesson with the
evidence it rests on and the context it holds for, so that it reaches every engagement and
invitation whose context matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Confidence(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


@dataclass(frozen=True)
class LessonContext:
    """Where a lesson holds; an empty list places no restriction on that dimension."""

    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    conflict_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    tracks: list[int] = field(default_factory=list)


@dataclass
class Lesson:
    id: str
    owner_org: str
    visibility: str
    statement: str
    evidence: str
    confidence: Confidence
    context: LessonContext
    recorded_at: datetime
