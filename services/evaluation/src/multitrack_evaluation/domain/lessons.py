"""The lesson learned: standard procedure 9, "action research".

Evaluation goes on while the work goes on; what it teaches is recorded as a lesson with the
evidence it rests on and the context it holds for, so that it reaches every engagement and
invitation whose context matches. A lesson is revised as evidence grows and retired when it
no longer holds; a retired lesson is kept, but it changes no more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from multitrack_shared.errors import Conflict
from multitrack_shared.events.vocabulary import (
    Confidence,
    DacCriterion,
    LessonResponse,
    RppQuadrant,
)
from multitrack_shared.versioning import FIRST_VERSION


@dataclass(frozen=True)
class LessonContext:
    """Where a lesson holds; an empty list places no restriction on that dimension."""

    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    conflict_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    tracks: list[int] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    peacebuilding_kinds: list[str] = field(default_factory=list)
    rpp_quadrants: list[RppQuadrant] = field(default_factory=list)
    dac_criteria: list[DacCriterion] = field(default_factory=list)
    conflict_ids: list[str] = field(default_factory=list)
    """The shared conflicts it was learnt on or bears on: the work on them receives it first."""


@dataclass(frozen=True)
class Wording:
    """What a revision may change."""

    statement: str
    evidence: str
    confidence: Confidence
    context: LessonContext


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
    source_engagement_id: str | None = None
    revision: int = 1
    revised_at: datetime | None = None
    retired_reason: str | None = None
    retired_at: datetime | None = None
    version: int = field(default=FIRST_VERSION, compare=False)

    @property
    def active(self) -> bool:
        return self.retired_at is None

    def revise(self, wording: Wording, at: datetime) -> None:
        """Replace the wording; the revision number goes up by one."""
        self._require_active("revise")
        self.statement = wording.statement
        self.evidence = wording.evidence
        self.confidence = wording.confidence
        self.context = wording.context
        self.revision += 1
        self.revised_at = at

    def retire(self, reason: str, at: datetime) -> None:
        self._require_active("retire")
        self.retired_reason = reason
        self.retired_at = at

    def _require_active(self, action: str) -> None:
        if not self.active:
            raise Conflict(
                f"lesson {self.id} was retired and cannot be {action}d",
                field="lesson_id",
                code="lesson_retired",
            )


@dataclass(frozen=True)
class Response:
    """One engagement's latest answer to a lesson in its inbox (why it answered so stays in the
    engagements service: it may name people)."""

    engagement_id: str
    response: LessonResponse
    at: datetime


def tally(responses: Iterable[Response]) -> dict[LessonResponse, int]:
    """How many engagements applied, adapted or rejected the lesson (each kind present)."""
    counted = Counter(r.response for r in responses)
    return {kind: counted.get(kind, 0) for kind in LessonResponse}
