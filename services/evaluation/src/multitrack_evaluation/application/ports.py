"""What the use cases need from the outside world, as protocols.

Every list, search and count of owned records takes the caller's ``Scope``, which the
repositories apply in the query (``visible_to`` in SQL, ``Scope.admits`` in the fakes). A
filter's scope starts at the least any caller sees; the use case sets the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from multitrack_evaluation.domain.attitudes import Instrument, Measurement
from multitrack_evaluation.domain.evaluations import Evaluation
from multitrack_evaluation.domain.facts import (
    Activity,
    Analysis,
    EngagementHeader,
    EngagementRecord,
    FollowUp,
    Hearing,
    Liaison,
    Partnership,
    StatusChange,
)
from multitrack_evaluation.domain.lessons import Lesson, Response
from multitrack_evaluation.domain.overdue import Standing
from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_shared.auth.policy import Scope
from multitrack_shared.ports import UnitOfWorkPort

CONSORTIUM_WIDE = Scope(None)
"""Consortium-visible records only: what every caller sees."""


@dataclass(frozen=True)
class LessonFilter:
    country: str | None = None
    track: int | None = None
    active: bool | None = None
    limit: int = 50
    offset: int = 0
    scope: Scope = CONSORTIUM_WIDE


@dataclass(frozen=True)
class EvaluationFilter:
    engagement_id: str | None = None
    limit: int = 50
    offset: int = 0
    scope: Scope = CONSORTIUM_WIDE


@dataclass(frozen=True)
class EngagementFilter:
    country: str | None = None
    limit: int = 50
    offset: int = 0
    scope: Scope = CONSORTIUM_WIDE


class LessonRepository(Protocol):
    async def add(self, lesson: Lesson) -> None: ...
    async def get(self, lesson_id: str) -> Lesson | None: ...
    async def save(self, lesson: Lesson) -> None: ...
    async def search(self, where: LessonFilter) -> list[Lesson]: ...


class ResponseRepository(Protocol):
    async def record(self, lesson_id: str, response: Response) -> None: ...
    async def for_lesson(self, lesson_id: str, scope: Scope) -> list[Response]:
        """The responses of the engagements ``scope`` admits, each with its engagement's owner;
        an engagement the digest does not know is admitted by no scope."""
        ...


class ReferenceRepository(Protocol):
    async def entries(self, kind: ReferenceKind | None = None) -> list[ReferenceEntry]: ...
    async def get(self, kind: ReferenceKind, code: str) -> ReferenceEntry | None: ...
    async def add(self, entry: ReferenceEntry) -> None: ...
    async def save(self, entry: ReferenceEntry) -> None: ...


class EvaluationRepository(Protocol):
    async def add(self, evaluation: Evaluation) -> None: ...
    async def get(self, evaluation_id: str) -> Evaluation | None: ...
    async def search(self, where: EvaluationFilter) -> list[Evaluation]: ...


class DigestRepository(Protocol):
    """The read models of engagements (writes from events, reads for the digest)."""

    async def put_engagement(self, header: EngagementHeader) -> None: ...
    async def close_engagement(
        self, engagement_id: str, at: datetime, early: bool, reason: str | None
    ) -> None: ...
    async def link_conflict(self, engagement_id: str, conflict_id: str | None) -> None: ...
    async def put_status_change(self, engagement_id: str, change: StatusChange) -> None: ...
    async def put_analysis(self, engagement_id: str, analysis: Analysis) -> None: ...
    async def put_hearing(self, engagement_id: str, hearing: Hearing) -> None: ...
    async def put_activity(self, engagement_id: str, activity: Activity) -> None: ...
    async def put_follow_up(self, engagement_id: str, follow_up: FollowUp) -> None: ...
    async def put_liaison(self, engagement_id: str, liaison: Liaison) -> None: ...
    async def put_partnership(self, engagement_id: str, partnership: Partnership) -> None: ...
    async def end_partnership(self, partnership_id: str, ends_on: date, at: datetime) -> None: ...
    async def record(self, engagement_id: str) -> EngagementRecord | None: ...
    async def on_conflict(self, conflict_id: str, scope: Scope) -> list[EngagementRecord]:
        """The records of the engagements on the conflict that ``scope`` admits."""
        ...

    async def headers(self, where: EngagementFilter) -> list[tuple[EngagementHeader, str]]: ...
    async def standings(self, scope: Scope) -> list[Standing]: ...


class AttitudeRepository(Protocol):
    async def add_instrument(self, instrument: Instrument) -> None: ...
    async def instrument(self, code: str) -> Instrument | None: ...
    async def instruments(self, scope: Scope) -> list[Instrument]: ...
    async def add_measurement(self, measurement: Measurement) -> None: ...
    async def measurements(self, engagement_id: str) -> list[Measurement]: ...


class EvaluationUoW(UnitOfWorkPort, Protocol):
    @property
    def lessons(self) -> LessonRepository: ...
    @property
    def responses(self) -> ResponseRepository: ...
    @property
    def reference(self) -> ReferenceRepository: ...
    @property
    def evaluations(self) -> EvaluationRepository: ...
    @property
    def digests(self) -> DigestRepository: ...
    @property
    def attitudes(self) -> AttitudeRepository: ...
