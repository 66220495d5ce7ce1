"""In-memory fakes of the evaluation service's ports (``application/ports.py``), for the unit
tests of its use cases. Each answers as its SQL repository does: same filters, same order, the
same records left out of a caller's lists (``Scope.admits``, as ``visible_to`` in SQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

from multitrack_evaluation.application.ports import (
    EngagementFilter,
    EvaluationFilter,
    LessonFilter,
)
from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.attitudes import Instrument, Measurement
from multitrack_evaluation.domain.evaluations import Evaluation
from multitrack_evaluation.domain.lessons import Lesson, Response
from multitrack_evaluation.domain.overdue import Standing
from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_shared.auth.policy import Scope
from multitrack_shared.reference import ASSESSMENT_CRITERIA, DEFAULTS
from multitrack_shared.testing.fakes import FakeRepository, FakeUnitOfWork, Rows

T = TypeVar("T")
KIND_ORDER = {kind: n for n, kind in enumerate(ReferenceKind)}


class FakeLessonRepository(FakeRepository):
    def __init__(self) -> None:
        self.lessons = Rows[str, Lesson]()

    async def add(self, lesson: Lesson) -> None:
        self.lessons.insert(lesson.id, lesson)

    async def get(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    async def save(self, lesson: Lesson) -> None:
        self.lessons.update(lesson.id, lesson)

    async def search(self, where: LessonFilter) -> list[Lesson]:
        found = [
            lesson
            for lesson in self.lessons.values()
            if where.scope.admits(lesson.owner_org, lesson.visibility)
            and (not where.country or where.country in lesson.context.countries)
            and (not where.track or where.track in lesson.context.tracks)
            and where.active in (None, lesson.active)
        ]
        found.sort(key=lambda lesson: lesson.id)
        found.sort(key=lambda lesson: lesson.recorded_at, reverse=True)
        return found[where.offset : where.offset + where.limit]


class FakeResponseRepository(FakeRepository):
    """Read model of ``LessonResponded``: one per (engagement, lesson), the latest wins; read
    with what the unit's digests know of each engagement."""

    digests: FakeDigestRepository
    """Set by the unit of work, whose digests read this repository in turn."""

    def __init__(self) -> None:
        self.responses = Rows[tuple[str, str], Response]()

    async def record(self, lesson_id: str, response: Response) -> None:
        key = (response.engagement_id, lesson_id)
        known = self.responses.get(key)
        if known is None or known.at <= response.at:
            self.responses.put(key, response)

    async def for_lesson(self, lesson_id: str, scope: Scope) -> list[Response]:
        found = []
        for (engagement_id, lesson), response in self.responses.items():
            header = self.digests.engagements.get(engagement_id)
            if lesson != lesson_id or header is None:
                continue
            if scope.admits(header.owner_org, header.visibility):
                found.append(response)
        return sorted(found, key=lambda r: (r.at, r.engagement_id))


class FakeReferenceRepository(FakeRepository):
    """Holds the default reference data from the start, as the migrations seed it."""

    def __init__(self) -> None:
        self.items = Rows[tuple[ReferenceKind, str], ReferenceEntry]()
        for item in DEFAULTS + ASSESSMENT_CRITERIA:
            entry = ReferenceEntry(
                ReferenceKind(item.kind),
                item.code,
                item.label,
                item.description,
                True,
                item.position,
                item.procedure,
                item.essential,
            )
            self.items.insert((entry.kind, entry.code), entry)

    async def entries(self, kind: ReferenceKind | None = None) -> list[ReferenceEntry]:
        found = [e for e in self.items.values() if kind in (None, e.kind)]
        return sorted(found, key=lambda e: (KIND_ORDER[e.kind], e.position, e.code))

    async def get(self, kind: ReferenceKind, code: str) -> ReferenceEntry | None:
        return self.items.get((kind, code))

    async def add(self, entry: ReferenceEntry) -> None:
        self.items.insert((entry.kind, entry.code), entry)

    async def save(self, entry: ReferenceEntry) -> None:
        self.items.update((entry.kind, entry.code), entry)


class FakeEvaluationRepository(FakeRepository):
    def __init__(self) -> None:
        self.evaluations = Rows[str, Evaluation]()

    async def add(self, evaluation: Evaluation) -> None:
        self.evaluations.insert(evaluation.id, evaluation)

    async def get(self, evaluation_id: str) -> Evaluation | None:
        return self.evaluations.get(evaluation_id)

    async def search(self, where: EvaluationFilter) -> list[Evaluation]:
        found = [
            e
            for e in self.evaluations.values()
            if where.engagement_id in (None, e.engagement_id)
            and where.scope.admits(e.owner_org, e.visibility)
        ]
        found.sort(key=lambda e: e.id)
        found.sort(key=lambda e: e.completed_at, reverse=True)
        return found[where.offset : where.offset + where.limit]


class FakeAttitudeRepository(FakeRepository):
    def __init__(self) -> None:
        self.defined = Rows[str, Instrument]()
        self.held = Rows[str, Measurement]()

    async def add_instrument(self, instrument: Instrument) -> None:
        self.defined.insert(instrument.code, instrument)

    async def instrument(self, code: str) -> Instrument | None:
        return self.defined.get(code)

    async def instruments(self, scope: Scope) -> list[Instrument]:
        found = [i for i in self.defined.values() if scope.admits(i.owner_org, i.visibility)]
        return sorted(found, key=lambda i: i.code)

    async def add_measurement(self, measurement: Measurement) -> None:
        self.held.insert(measurement.id, measurement)

    async def measurements(self, engagement_id: str) -> list[Measurement]:
        found = [m for m in self.held.values() if m.engagement_id == engagement_id]
        return sorted(found, key=lambda m: (m.administered_on, m.recorded_at))


class FakeDigestRepository(FakeRepository):
    """The engagements' read models, each fact held with its engagement's id; a record also
    reads the unit's own evaluations and the lesson responses."""

    def __init__(
        self, evaluations: FakeEvaluationRepository, responses: FakeResponseRepository
    ) -> None:
        self.engagements = Rows[str, f.EngagementHeader]()
        self.status_changes = Rows[tuple[str, datetime, str], f.StatusChange]()
        self.analyses = Rows[tuple[str, int], f.Analysis]()
        self.hearings = Rows[str, tuple[str, f.Hearing]]()
        self.activities = Rows[str, tuple[str, f.Activity]]()
        self.liaisons = Rows[str, tuple[str, f.Liaison]]()
        self.partnerships = Rows[str, tuple[str, f.Partnership]]()
        self.follow_ups = Rows[str, tuple[str, f.FollowUp]]()
        self.attitudes: FakeAttitudeRepository | None = None
        """Set by the unit of work: the record reads its measurements."""
        self.reference: FakeReferenceRepository | None = None
        """Set by the unit of work: the record reads the catalogue's origin of each method."""
        self._evaluations = evaluations
        self._responses = responses

    async def put_engagement(self, header: f.EngagementHeader) -> None:
        known = self.engagements.get(header.engagement_id)
        if known is not None:  # the closing fields are set by the closing event only
            header = replace(
                header,
                closed_at=known.closed_at,
                closed_early=known.closed_early,
                close_reason=known.close_reason,
            )
        else:
            header = replace(header, closed_at=None, closed_early=None, close_reason=None)
        self.engagements.put(header.engagement_id, header)

    async def close_engagement(
        self, engagement_id: str, at: datetime, early: bool, reason: str | None
    ) -> None:
        known = self.engagements.get(engagement_id)
        if known is not None:
            closed = replace(known, closed_at=at, closed_early=early, close_reason=reason)
            self.engagements.update(engagement_id, closed)

    async def link_conflict(self, engagement_id: str, conflict_id: str | None) -> None:
        known = self.engagements.get(engagement_id)
        if known is not None:
            self.engagements.update(engagement_id, replace(known, conflict_id=conflict_id))

    async def put_status_change(self, engagement_id: str, change: f.StatusChange) -> None:
        self.status_changes.put((engagement_id, change.changed_at, change.to_status), change)

    async def put_analysis(self, engagement_id: str, analysis: f.Analysis) -> None:
        self.analyses.put((engagement_id, analysis.version), analysis)

    async def put_hearing(self, engagement_id: str, hearing: f.Hearing) -> None:
        self.hearings.put(hearing.hearing_id, (engagement_id, hearing))

    async def put_activity(self, engagement_id: str, activity: f.Activity) -> None:
        self.activities.put(activity.activity_id, (engagement_id, activity))

    async def put_follow_up(self, engagement_id: str, follow_up: f.FollowUp) -> None:
        self.follow_ups.put(follow_up.follow_up_id, (engagement_id, follow_up))

    async def put_liaison(self, engagement_id: str, liaison: f.Liaison) -> None:
        self.liaisons.put(liaison.liaison_id, (engagement_id, liaison))

    async def put_partnership(self, engagement_id: str, partnership: f.Partnership) -> None:
        known = self.partnerships.get(partnership.partnership_id)
        ended_at = known[1].ended_at if known else None  # set by the ending event only
        formed = replace(partnership, ended_at=ended_at)
        self.partnerships.put(partnership.partnership_id, (engagement_id, formed))

    async def end_partnership(self, partnership_id: str, ends_on: date, at: datetime) -> None:
        known = self.partnerships.get(partnership_id)
        if known is not None:
            engagement_id, partnership = known
            ended = replace(partnership, ends_on=ends_on, ended_at=at)
            self.partnerships.update(partnership_id, (engagement_id, ended))

    def _origins(self) -> dict[str, str]:
        items = self.reference.items.values() if self.reference else []
        return {e.code: e.origin.in_blend.value for e in items if e.origin is not None}

    async def record(self, engagement_id: str) -> f.EngagementRecord | None:
        header = self.engagements.get(engagement_id)
        if header is None:
            return None
        return f.EngagementRecord(
            header=header,
            status_changes=self._changes(engagement_id),
            analyses=[a for (e, _), a in self.analyses.items() if e == engagement_id],
            hearings=_of(self.hearings, engagement_id),
            activities=[
                replace(a, methods=[m.as_catalogued(self._origins()) for m in a.methods])
                for a in _of(self.activities, engagement_id)
            ],
            liaisons=_of(self.liaisons, engagement_id),
            partnerships=_of(self.partnerships, engagement_id),
            lesson_answers=[
                f.LessonAnswer(lesson_id, r.response.value, r.at)
                for (e, lesson_id), r in self._responses.responses.items()
                if e == engagement_id
            ],
            evaluations=[
                f.EvaluationDone(e.id, e.period_start, e.period_end, e.evaluated_by, e.completed_at)
                for e in self._evaluations.evaluations.values()
                if e.engagement_id == engagement_id
            ],
            follow_ups=_of(self.follow_ups, engagement_id),
            attitudes=[
                f.AttitudeReading(
                    m.id, m.instrument, m.side, m.administered_on, m.respondents, m.score
                )
                for m in (self.attitudes.held.values() if self.attitudes else [])
                if m.engagement_id == engagement_id
            ],
        )

    async def on_conflict(self, conflict_id: str, scope: Scope) -> list[f.EngagementRecord]:
        on_it = sorted(
            h.engagement_id
            for h in self.engagements.values()
            if h.conflict_id == conflict_id and scope.admits(h.owner_org, h.visibility)
        )
        found = [await self.record(e) for e in on_it]
        return [r for r in found if r is not None]

    async def headers(self, where: EngagementFilter) -> list[tuple[f.EngagementHeader, str]]:
        found = [
            h
            for h in self.engagements.values()
            if where.country in (None, "", h.country)
            and where.scope.admits(h.owner_org, h.visibility)
        ]
        found.sort(key=lambda h: h.engagement_id)
        found.sort(key=lambda h: h.opened_at, reverse=True)
        page = found[where.offset : where.offset + where.limit]
        return [(h, f.current_status(h, self._changes(h.engagement_id))) for h in page]

    async def standings(self, scope: Scope) -> list[Standing]:
        evaluations = self._evaluations.evaluations.values()
        return [
            Standing(
                engagement_id=h.engagement_id,
                status=f.current_status(h, self._changes(h.engagement_id)),
                opened_at=h.opened_at,
                last_evaluated_at=max(
                    (e.completed_at for e in evaluations if e.engagement_id == h.engagement_id),
                    default=None,
                ),
            )
            for h in self.engagements.values()
            if scope.admits(h.owner_org, h.visibility)
        ]

    def _changes(self, engagement_id: str) -> list[f.StatusChange]:
        return [c for (e, _, _), c in self.status_changes.items() if e == engagement_id]


def _of(rows: Rows[str, tuple[str, T]], engagement_id: str) -> list[T]:
    return [fact for e, fact in rows.values() if e == engagement_id]


class FakeEvaluationUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.lessons = FakeLessonRepository()
        self.responses = FakeResponseRepository()
        self.reference = FakeReferenceRepository()
        self.evaluations = FakeEvaluationRepository()
        self.digests = FakeDigestRepository(self.evaluations, self.responses)
        self.attitudes = FakeAttitudeRepository()
        self.digests.attitudes = self.attitudes
        self.digests.reference = self.reference
        self.responses.digests = self.digests
