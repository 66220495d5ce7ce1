"""In-memory fakes of the engagements service's ports (``application/ports.py``), for the unit
tests of its use cases. Each answers as its SQL repository does: same filters, same order, and
the same visibility rule (``Scope.admits``, as ``visible_to`` is in SQL)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime

from multitrack_engagements.application.ports import (
    ConflictFilter,
    EngagementFilter,
    EvaluationSeen,
    TrackLabel,
)
from multitrack_engagements.domain.activities import Activity
from multitrack_engagements.domain.analysis import ConflictAnalysis
from multitrack_engagements.domain.conflicts import SharedConflict
from multitrack_engagements.domain.do_no_harm import HarmEntry, RiskElsewhere
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.facts import ActivityFacts, EngagementFacts
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_engagements.domain.funding import BudgetLine, FundingSource
from multitrack_engagements.domain.lessons import Delivery, Lesson, ResponseToLesson, Whereabouts
from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_engagements.domain.listening import HeardParty
from multitrack_engagements.domain.methods import CataloguedMethod
from multitrack_engagements.domain.organizations import MemberSeen, PartnerSeen
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_engagements.domain.training import CataloguedTrainer
from multitrack_shared.auth.policy import Scope
from multitrack_shared.testing.fakes import FakeRepository, FakeUnitOfWork, Rows


class FakeEngagementRepository(FakeRepository):
    def __init__(self) -> None:
        self.engagements = Rows[str, Engagement]()

    async def add(self, engagement: Engagement) -> None:
        self.engagements.insert(engagement.id, engagement)

    async def get(self, engagement_id: str) -> Engagement | None:
        return self.engagements.get(engagement_id)

    async def save(self, engagement: Engagement) -> None:
        self.engagements.update(engagement.id, engagement)

    async def search(self, where: EngagementFilter) -> list[Engagement]:
        found = [e for e in self.engagements.values() if _matches(e, where)]
        found.sort(key=lambda e: e.id)
        found.sort(key=lambda e: e.opened_at, reverse=True)
        return found[where.offset : where.offset + where.limit]


def _matches(engagement: Engagement, where: EngagementFilter) -> bool:
    if not where.scope.admits(engagement.owner_org, engagement.visibility):
        return False
    wanted = [
        (where.status, engagement.status.value),
        (where.country, engagement.conflict.country),
        (where.invitation_id, engagement.invitation_id),
        (where.owner_org, engagement.owner_org),
        (where.conflict_id, engagement.conflict.conflict_id),
    ]
    if not all(not asked or asked == value for asked, value in wanted):
        return False
    if where.quiet is None or where.quiet_cutoff is None:
        return True
    since = engagement.last_activity_on or engagement.start_date
    return (since <= where.quiet_cutoff) == where.quiet


class FakeConflictRepository(FakeRepository):
    def __init__(self) -> None:
        self.conflicts = Rows[str, SharedConflict]()

    async def add(self, conflict: SharedConflict) -> None:
        self.conflicts.insert(conflict.id, conflict)

    async def get(self, conflict_id: str) -> SharedConflict | None:
        return self.conflicts.get(conflict_id)

    async def save(self, conflict: SharedConflict) -> None:
        self.conflicts.update(conflict.id, conflict)

    async def search(self, where: ConflictFilter) -> list[SharedConflict]:
        found = [
            c
            for c in self.conflicts.values()
            if where.scope.admits(c.owner_org, c.visibility)
            and (not where.country or c.profile.country == where.country)
        ]
        found.sort(key=lambda c: (c.profile.name, c.id))
        return found[where.offset : where.offset + where.limit]


class FakeAnalysisRepository(FakeRepository):
    def __init__(self) -> None:
        self.analyses = Rows[tuple[str, int], ConflictAnalysis]()

    async def add(self, analysis: ConflictAnalysis) -> None:
        self.analyses.insert((analysis.engagement_id, analysis.version), analysis)

    async def latest(self, engagement_id: str) -> ConflictAnalysis | None:
        return max(await self.of_engagement(engagement_id), key=lambda a: a.version, default=None)

    async def get(self, engagement_id: str, version: int) -> ConflictAnalysis | None:
        return self.analyses.get((engagement_id, version))

    async def of_engagement(self, engagement_id: str) -> list[ConflictAnalysis]:
        found = [a for a in self.analyses.values() if a.engagement_id == engagement_id]
        return sorted(found, key=lambda a: a.version)


class FakeListeningRepository(FakeRepository):
    def __init__(self) -> None:
        self.entries = Rows[str, HeardParty]()

    async def add(self, entry: HeardParty) -> None:
        self.entries.insert(entry.id, entry)

    async def of_engagement(self, engagement_id: str) -> list[HeardParty]:
        found = [e for e in self.entries.values() if e.engagement_id == engagement_id]
        return sorted(found, key=lambda e: (e.heard_on, e.recorded_at))


class FakeActivityRepository(FakeRepository):
    def __init__(self) -> None:
        self.activities = Rows[str, Activity]()

    async def add(self, activity: Activity) -> None:
        self.activities.insert(activity.id, activity)

    async def of_engagement(self, engagement_id: str) -> list[Activity]:
        found = [a for a in self.activities.values() if a.engagement_id == engagement_id]
        return sorted(found, key=lambda a: (a.held_on, a.recorded_at))

    async def get(self, activity_id: str) -> Activity | None:
        return self.activities.get(activity_id)


class FakeLiaisonRepository(FakeRepository):
    def __init__(self) -> None:
        self.entries = Rows[str, LiaisonEntry]()

    async def add(self, entry: LiaisonEntry) -> None:
        self.entries.insert(entry.id, entry)

    async def of_engagement(self, engagement_id: str) -> list[LiaisonEntry]:
        found = [e for e in self.entries.values() if e.engagement_id == engagement_id]
        return sorted(found, key=lambda e: (e.held_on, e.recorded_at))


class FakeResponseRepository(FakeRepository):
    """The engagements' own responses to lessons, one per (engagement, lesson)."""

    def __init__(self) -> None:
        self.responses = Rows[tuple[str, str], ResponseToLesson]()

    async def add(self, response: ResponseToLesson) -> None:
        self.responses.insert((response.engagement_id, response.lesson_id), response)

    async def get(self, engagement_id: str, lesson_id: str) -> ResponseToLesson | None:
        return self.responses.get((engagement_id, lesson_id))

    async def of_engagement(self, engagement_id: str) -> Mapping[str, ResponseToLesson]:
        return {r.lesson_id: r for r in self.responses.values() if r.engagement_id == engagement_id}

    async def engagements_responding_to(self, lesson_id: str) -> set[str]:
        return {r.engagement_id for r in self.responses.values() if r.lesson_id == lesson_id}


class FakeLessonRepository(FakeRepository):
    """The lessons read model; the candidates also read the unit's responses."""

    def __init__(self, responses: FakeResponseRepository) -> None:
        self.lessons = Rows[str, Lesson]()
        self._responses = responses

    async def get(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    async def save(self, lesson: Lesson) -> None:
        self.lessons.put(lesson.lesson_id, lesson)

    async def candidates(self, engagement_id: str) -> list[Lesson]:
        responded = await self._responses.of_engagement(engagement_id)
        found = [x for x in self.lessons.values() if x.active or x.lesson_id in responded]
        return sorted(found, key=lambda x: x.lesson_id)


class FakeDeliveryRepository(FakeRepository):
    """The deliveries read model; which a caller sees follows the unit's lessons."""

    def __init__(self, lessons: FakeLessonRepository) -> None:
        self.deliveries = Rows[tuple[str, str], Delivery]()
        self._lessons = lessons

    async def get(self, engagement_id: str, lesson_id: str) -> Delivery | None:
        return self.deliveries.get((engagement_id, lesson_id))

    async def of_engagement(self, engagement_id: str, scope: Scope) -> list[Delivery]:
        return [
            d
            for d in self.deliveries.values()
            if d.engagement_id == engagement_id and await self._admits(scope, d.lesson_id)
        ]

    async def _admits(self, scope: Scope, lesson_id: str) -> bool:
        lesson = await self._lessons.get(lesson_id)
        return lesson is not None and scope.admits(lesson.owner_org, lesson.visibility)

    async def replace_all(self, engagement_id: str, deliveries: Sequence[Delivery]) -> None:
        for engagement, lesson in list(self.deliveries):
            if engagement == engagement_id:
                self.deliveries.delete((engagement, lesson))
        await self.add_all(deliveries)

    async def replace_of_lesson(self, lesson_id: str, deliveries: Sequence[Delivery]) -> None:
        for engagement, lesson in list(self.deliveries):
            if lesson == lesson_id:
                self.deliveries.delete((engagement, lesson))
        await self.add_all(deliveries)

    async def add_all(self, deliveries: Sequence[Delivery]) -> None:
        """Refuses a delivery already stored, as the table's primary key does."""
        for delivery in deliveries:
            self.deliveries.insert((delivery.engagement_id, delivery.lesson_id), delivery)


class FakePartnershipRepository(FakeRepository):
    """The partnerships read model."""

    def __init__(self) -> None:
        self.partnerships = Rows[str, Partnership]()

    async def get(self, partnership_id: str) -> Partnership | None:
        return self.partnerships.get(partnership_id)

    async def save(self, partnership: Partnership) -> None:
        self.partnerships.put(partnership.partnership_id, partnership)

    async def of_engagement(self, engagement_id: str) -> list[Partnership]:
        found = [p for p in self.partnerships.values() if p.engagement_id == engagement_id]
        return sorted(found, key=lambda p: (p.starts_on or date.min, p.partnership_id))


class FakeFundingRepository(FakeRepository):
    def __init__(self) -> None:
        self.sources = Rows[str, FundingSource]()
        self.budget_lines = Rows[str, BudgetLine]()

    async def add_source(self, source: FundingSource) -> None:
        self.sources.insert(source.id, source)

    async def sources_of(self, engagement_id: str) -> list[FundingSource]:
        found = [s for s in self.sources.values() if s.engagement_id == engagement_id]
        return sorted(found, key=lambda s: (s.period.start, s.recorded_at))

    async def add_budget_line(self, line: BudgetLine) -> None:
        self.budget_lines.insert(line.id, line)

    async def budget_of(self, engagement_id: str) -> list[BudgetLine]:
        found = [b for b in self.budget_lines.values() if b.engagement_id == engagement_id]
        return sorted(found, key=lambda b: b.period.start)


class FakeOrganizationRepository(FakeRepository):
    """The partners and members read model."""

    def __init__(self) -> None:
        self.partners_seen = Rows[str, PartnerSeen]()
        self.members_seen = Rows[str, MemberSeen]()

    async def partner(self, partner_id: str) -> PartnerSeen | None:
        return self.partners_seen.get(partner_id)

    async def partners(self, partner_ids: Iterable[str]) -> dict[str, PartnerSeen]:
        wanted = set(partner_ids)
        return {k: v for k, v in self.partners_seen.items() if k in wanted}

    async def put_partner(self, partner: PartnerSeen) -> None:
        self.partners_seen.put(partner.partner_id, partner)

    async def member_acting_as(self, organization: str) -> MemberSeen | None:
        found = sorted(
            (m for m in self.members_seen.values() if m.organization == organization),
            key=lambda m: m.member_id,
        )
        return found[0] if found else None

    async def put_member(self, member: MemberSeen) -> None:
        self.members_seen.put(member.member_id, member)


class FakeTrackLabelRepository(FakeRepository):
    """The consortium's wording of the tracks, from its reference data."""

    def __init__(self) -> None:
        self.labels = Rows[str, TrackLabel]()

    async def get(self, code: str) -> TrackLabel | None:
        return self.labels.get(code)

    async def save(self, label: TrackLabel) -> None:
        self.labels.put(label.code, label)

    async def active_labels(self) -> dict[str, str]:
        return {x.code: x.label for x in self.labels.values() if x.active}


class FakeMethodCatalogueRepository(FakeRepository):
    """The consortium's catalogue of methods, from its reference data."""

    def __init__(self) -> None:
        self.catalogue = Rows[str, CataloguedMethod]()

    async def get(self, code: str) -> CataloguedMethod | None:
        return self.catalogue.get(code)

    async def save(self, method: CataloguedMethod) -> None:
        self.catalogue.put(method.code, method)

    async def named(self, codes: Sequence[str]) -> dict[str, CataloguedMethod]:
        return {m.code: m for m in self.catalogue.values() if m.code in codes}


class FakeTrainerCatalogueRepository(FakeRepository):
    """The consortium's catalogue of trainers, from the partners service."""

    def __init__(self) -> None:
        self.catalogue = Rows[str, CataloguedTrainer]()

    async def put(self, trainer: CataloguedTrainer) -> None:
        self.catalogue.put(trainer.trainer_id, trainer)

    async def named(self, trainer_ids: Sequence[str]) -> dict[str, CataloguedTrainer]:
        return {t.trainer_id: t for t in self.catalogue.values() if t.trainer_id in trainer_ids}


class FakeFollowUpRepository(FakeRepository):
    def __init__(self) -> None:
        self.follow_ups = Rows[str, FollowUp]()

    async def add(self, follow_up: FollowUp) -> None:
        self.follow_ups.insert(follow_up.id, follow_up)

    async def of_engagement(self, engagement_id: str) -> list[FollowUp]:
        found = [f for f in self.follow_ups.values() if f.engagement_id == engagement_id]
        return sorted(found, key=lambda f: (f.held_on, f.recorded_at))


class FakeHarmRepository(FakeRepository):
    def __init__(self, engagements: FakeEngagementRepository) -> None:
        self.entries = Rows[str, HarmEntry]()
        self._engagements = engagements

    async def add(self, entry: HarmEntry) -> None:
        self.entries.insert(entry.id, entry)

    async def get(self, entry_id: str) -> HarmEntry | None:
        return self.entries.get(entry_id)

    async def save(self, entry: HarmEntry) -> None:
        self.entries.update(entry.id, entry)

    async def of_engagement(self, engagement_id: str) -> list[HarmEntry]:
        found = [e for e in self.entries.values() if e.engagement_id == engagement_id]
        return sorted(found, key=lambda e: (e.noted_on, e.recorded_at))

    async def unmitigated_high_risks_near(
        self, country: str, other_than: str
    ) -> list[RiskElsewhere]:
        found = []
        for entry in self.entries.values():
            engagement = self._engagements.engagements.get(entry.engagement_id)
            if (
                engagement is not None
                and engagement.id != other_than
                and engagement.conflict.country.upper() == country.upper()
                and entry.place is not None
                and entry.holds_back_activity_at(entry.place)
            ):
                found.append(RiskElsewhere(entry.place, engagement.owner_org))
        return found


class FakeEvaluationRepository(FakeRepository):
    """The evaluations read model."""

    def __init__(self) -> None:
        self.evaluations = Rows[str, EvaluationSeen]()

    async def put(self, evaluation: EvaluationSeen) -> None:
        self.evaluations.put(evaluation.evaluation_id, evaluation)

    async def latest_since(self, engagement_id: str, since: datetime) -> EvaluationSeen | None:
        found = [
            e
            for e in self.evaluations.values()
            if e.engagement_id == engagement_id and e.completed_at >= since
        ]
        return max(found, key=lambda e: e.completed_at, default=None)


class FakeFactsRepository:
    """A view: what the unit's engagements, analyses, listening, activities and partnerships
    say of each engagement. It holds nothing of its own."""

    def __init__(self, uow: FakeEngagementsUnitOfWork) -> None:
        self._uow = uow

    async def of(self, engagement: Engagement) -> EngagementFacts:
        uow = self._uow
        latest = await uow.analyses.latest(engagement.id)
        partnerships = sorted(
            uow.partnerships.partnerships.values(), key=lambda p: p.partnership_id
        )
        return EngagementFacts(
            engagement=engagement,
            actor_tracks=tuple(a.track for a in latest.actors) if latest else (),
            heard_tracks=tuple(e.track for e in await uow.listening.of_engagement(engagement.id)),
            activities=tuple(
                ActivityFacts(
                    tracks=a.tracks,
                    methods=tuple(m.name for m in a.methods),
                    peacebuilding_kind=a.peacebuilding_kind,
                    rpp_quadrant=a.rpp_quadrant.value,
                )
                for a in uow.activities.activities.values()
                if a.engagement_id == engagement.id
            ),
            partners=tuple(p.source for p in partnerships if p.engagement_id == engagement.id),
        )

    async def of_each(self, engagements: Sequence[Engagement]) -> list[EngagementFacts]:
        return [await self.of(e) for e in engagements]

    async def of_ids(self, engagement_ids: Collection[str]) -> list[EngagementFacts]:
        held = self._uow.engagements.engagements
        found = (held.get(engagement_id) for engagement_id in sorted(engagement_ids))
        return await self.of_each([e for e in found if e is not None])

    async def whereabouts(self) -> list[Whereabouts]:
        return [
            Whereabouts(e.id, e.owner_org, e.closed, e.conflict)
            for e in self._uow.engagements.engagements.values()
        ]

    async def of_opened(self, engagement: Engagement) -> EngagementFacts:
        """Only the partnerships, as the SQL view reads for an engagement opened just now."""
        partners = sorted(
            self._uow.partnerships.partnerships.values(), key=lambda p: p.partnership_id
        )
        return EngagementFacts(
            engagement=engagement,
            partners=tuple(p.source for p in partners if p.engagement_id == engagement.id),
        )


class FakeEngagementsUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.engagements = FakeEngagementRepository()
        self.conflicts = FakeConflictRepository()
        self.analyses = FakeAnalysisRepository()
        self.listening = FakeListeningRepository()
        self.activities = FakeActivityRepository()
        self.liaison = FakeLiaisonRepository()
        self.responses = FakeResponseRepository()
        self.lessons = FakeLessonRepository(self.responses)
        self.deliveries = FakeDeliveryRepository(self.lessons)
        self.partnerships = FakePartnershipRepository()
        self.track_labels = FakeTrackLabelRepository()
        self.methods = FakeMethodCatalogueRepository()
        self.trainers = FakeTrainerCatalogueRepository()
        self.facts = FakeFactsRepository(self)
        self.evaluations = FakeEvaluationRepository()
        self.follow_ups = FakeFollowUpRepository()
        self.harm = FakeHarmRepository(self.engagements)
        self.funding = FakeFundingRepository()
        self.organizations = FakeOrganizationRepository()
