"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from multitrack_engagements.domain.activities import Activity
from multitrack_engagements.domain.analysis import ConflictAnalysis
from multitrack_engagements.domain.conflicts import SharedConflict
from multitrack_engagements.domain.do_no_harm import HarmEntry, RiskElsewhere
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.facts import EngagementFacts
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
from multitrack_shared.ports import UnitOfWorkPort

CONSORTIUM_WIDE = Scope(None)
"""Consortium-visible records only: what a filter sees until its use case names the caller."""


@dataclass(frozen=True)
class EngagementFilter:
    scope: Scope = CONSORTIUM_WIDE
    """Whose owner-only engagements are seen too (consortium-visible ones always): set by the
    use case from its caller."""
    status: str | None = None
    country: str | None = None
    invitation_id: str | None = None
    owner_org: str | None = None
    conflict_id: str | None = None
    quiet: bool | None = None
    quiet_cutoff: date | None = None
    """Set from the clock by the use case: the latest last-activity date that is quiet."""
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ConflictFilter:
    scope: Scope = CONSORTIUM_WIDE
    country: str | None = None
    limit: int = 50
    offset: int = 0


class ConflictRepository(Protocol):
    async def add(self, conflict: SharedConflict) -> None: ...
    async def get(self, conflict_id: str) -> SharedConflict | None: ...
    async def save(self, conflict: SharedConflict) -> None: ...
    async def search(self, where: ConflictFilter) -> list[SharedConflict]: ...


@dataclass(frozen=True)
class TrackLabel:
    code: str
    label: str
    description: str
    active: bool
    changed_at: datetime


class EngagementRepository(Protocol):
    async def add(self, engagement: Engagement) -> None: ...
    async def get(self, engagement_id: str) -> Engagement | None: ...
    async def save(self, engagement: Engagement) -> None: ...
    async def search(self, where: EngagementFilter) -> list[Engagement]: ...


class AnalysisRepository(Protocol):
    async def add(self, analysis: ConflictAnalysis) -> None: ...
    async def latest(self, engagement_id: str) -> ConflictAnalysis | None: ...
    async def get(self, engagement_id: str, version: int) -> ConflictAnalysis | None: ...
    async def of_engagement(self, engagement_id: str) -> list[ConflictAnalysis]: ...


class ListeningRepository(Protocol):
    async def add(self, entry: HeardParty) -> None: ...
    async def of_engagement(self, engagement_id: str) -> list[HeardParty]: ...


class ActivityRepository(Protocol):
    async def add(self, activity: Activity) -> None: ...
    async def get(self, activity_id: str) -> Activity | None: ...
    async def of_engagement(self, engagement_id: str) -> list[Activity]: ...


class LiaisonRepository(Protocol):
    async def add(self, entry: LiaisonEntry) -> None: ...
    async def of_engagement(self, engagement_id: str) -> list[LiaisonEntry]: ...


class LessonRepository(Protocol):
    async def get(self, lesson_id: str) -> Lesson | None: ...
    async def save(self, lesson: Lesson) -> None: ...
    async def candidates(self, engagement_id: str) -> list[Lesson]:
        """Every active lesson, and every lesson this engagement responded to."""
        ...


class DeliveryRepository(Protocol):
    async def get(self, engagement_id: str, lesson_id: str) -> Delivery | None: ...
    async def of_engagement(self, engagement_id: str, scope: Scope) -> list[Delivery]:
        """The engagement's deliveries of the lessons ``scope`` may see."""
        ...

    async def replace_all(self, engagement_id: str, deliveries: Sequence[Delivery]) -> None:
        """The engagement's deliveries are exactly these."""
        ...

    async def replace_of_lesson(self, lesson_id: str, deliveries: Sequence[Delivery]) -> None:
        """The lesson's deliveries are exactly these, in a constant number of statements."""
        ...

    async def add_all(self, deliveries: Sequence[Delivery]) -> None:
        """Deliveries none of which is stored yet (an engagement opened just now)."""
        ...


class ResponseRepository(Protocol):
    async def add(self, response: ResponseToLesson) -> None: ...
    async def get(self, engagement_id: str, lesson_id: str) -> ResponseToLesson | None: ...
    async def of_engagement(self, engagement_id: str) -> Mapping[str, ResponseToLesson]: ...
    async def engagements_responding_to(self, lesson_id: str) -> set[str]: ...


class PartnershipRepository(Protocol):
    async def get(self, partnership_id: str) -> Partnership | None: ...
    async def save(self, partnership: Partnership) -> None: ...
    async def of_engagement(self, engagement_id: str) -> list[Partnership]: ...


class FundingRepository(Protocol):
    async def add_source(self, source: FundingSource) -> None: ...
    async def sources_of(self, engagement_id: str) -> list[FundingSource]: ...
    async def add_budget_line(self, line: BudgetLine) -> None: ...
    async def budget_of(self, engagement_id: str) -> list[BudgetLine]: ...


class OrganizationRepository(Protocol):
    """The partners and members read model."""

    async def partner(self, partner_id: str) -> PartnerSeen | None: ...
    async def partners(self, partner_ids: Iterable[str]) -> dict[str, PartnerSeen]: ...
    async def put_partner(self, partner: PartnerSeen) -> None: ...
    async def member_acting_as(self, organization: str) -> MemberSeen | None:
        """The member whose identity-provider alias is ``organization``, if one is known."""
        ...

    async def put_member(self, member: MemberSeen) -> None: ...


class TrackLabelRepository(Protocol):
    async def get(self, code: str) -> TrackLabel | None: ...
    async def save(self, label: TrackLabel) -> None: ...
    async def active_labels(self) -> dict[str, str]: ...


class MethodCatalogueRepository(Protocol):
    """The consortium's catalogue of methods, from its reference data."""

    async def get(self, code: str) -> CataloguedMethod | None: ...
    async def save(self, method: CataloguedMethod) -> None: ...
    async def named(self, codes: Sequence[str]) -> dict[str, CataloguedMethod]:
        """The catalogue's methods among ``codes``, retired ones included, by code."""
        ...


class TrainerCatalogueRepository(Protocol):
    """The consortium's catalogue of trainers, from the partners service."""

    async def put(self, trainer: CataloguedTrainer) -> None: ...
    async def named(self, trainer_ids: Sequence[str]) -> dict[str, CataloguedTrainer]: ...


@dataclass(frozen=True)
class EvaluationSeen:
    """An evaluation of an engagement, as evaluation's ``evaluation.completed`` says."""

    evaluation_id: str
    engagement_id: str
    period_start: date
    period_end: date
    completed_at: datetime


class EvaluationRepository(Protocol):
    """The evaluations read model."""

    async def put(self, evaluation: EvaluationSeen) -> None: ...
    async def latest_since(self, engagement_id: str, since: datetime) -> EvaluationSeen | None:
        """The engagement's evaluation completed last, if one was completed at ``since`` or
        later."""
        ...


class HarmRepository(Protocol):
    """The Do No Harm register."""

    async def add(self, entry: HarmEntry) -> None: ...
    async def get(self, entry_id: str) -> HarmEntry | None: ...
    async def save(self, entry: HarmEntry) -> None: ...
    async def of_engagement(self, engagement_id: str) -> list[HarmEntry]: ...
    async def unmitigated_high_risks_near(
        self, country: str, other_than: str
    ) -> list[RiskElsewhere]:
        """The open, unmitigated high-severity risks with a place that engagements in
        ``country`` other than ``other_than`` recorded, whoever owns them."""
        ...


class FollowUpRepository(Protocol):
    async def add(self, follow_up: FollowUp) -> None: ...
    async def of_engagement(self, engagement_id: str) -> list[FollowUp]: ...


class FactsRepository(Protocol):
    async def of(self, engagement: Engagement) -> EngagementFacts: ...
    async def of_each(self, engagements: Sequence[Engagement]) -> list[EngagementFacts]:
        """The facts of each engagement, in the same few statements however many there are."""
        ...

    async def of_ids(self, engagement_ids: Collection[str]) -> list[EngagementFacts]:
        """The facts of the engagements with these ids (those that exist), by id."""
        ...

    async def whereabouts(self) -> list[Whereabouts]:
        """Of every engagement, only what ``domain.lessons.may_reach`` needs."""
        ...

    async def of_opened(self, engagement: Engagement) -> EngagementFacts:
        """The facts of an engagement opened in this transaction: only partnerships can be
        known of it yet (told before its opening); its analyses, listening and activities are
        recorded through it, so it has none."""
        ...


class EngagementsUoW(UnitOfWorkPort, Protocol):
    @property
    def engagements(self) -> EngagementRepository: ...
    @property
    def conflicts(self) -> ConflictRepository: ...
    @property
    def analyses(self) -> AnalysisRepository: ...
    @property
    def listening(self) -> ListeningRepository: ...
    @property
    def activities(self) -> ActivityRepository: ...
    @property
    def liaison(self) -> LiaisonRepository: ...
    @property
    def lessons(self) -> LessonRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def responses(self) -> ResponseRepository: ...
    @property
    def partnerships(self) -> PartnershipRepository: ...
    @property
    def track_labels(self) -> TrackLabelRepository: ...
    @property
    def methods(self) -> MethodCatalogueRepository: ...
    @property
    def trainers(self) -> TrainerCatalogueRepository: ...
    @property
    def facts(self) -> FactsRepository: ...
    @property
    def evaluations(self) -> EvaluationRepository: ...
    @property
    def follow_ups(self) -> FollowUpRepository: ...
    @property
    def harm(self) -> HarmRepository: ...
    @property
    def funding(self) -> FundingRepository: ...
    @property
    def organizations(self) -> OrganizationRepository: ...
