"""In-memory fakes of the partners service's ports (``application/ports.py``), for the unit
tests of its use cases. Each answers as its SQL repository does: same filters, same order, the
same records left out of what a scope does not admit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from multitrack_partners.adapters.repositories.members import name_key
from multitrack_partners.application.ports import Coverage, PartnerFilter, PartnershipFilter
from multitrack_partners.domain.activity import ActivityFacts, Tally
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.member import Member
from multitrack_partners.domain.methods import CataloguedMethod
from multitrack_partners.domain.partner import Partner
from multitrack_partners.domain.partnership import Partnership
from multitrack_partners.domain.trainer import Trainer
from multitrack_shared.auth.policy import Scope
from multitrack_shared.events.common import Visibility
from multitrack_shared.testing.fakes import DuplicateKey, FakeRepository, FakeUnitOfWork, Rows

from .webhook_fakes import (
    FakeDeliveryRepository,
    FakeForwardedEventRepository,
    FakeSubscriptionRepository,
)


class FakePartnerRepository(FakeRepository):
    def __init__(self) -> None:
        self.partners = Rows[str, Partner]()

    async def add(self, partner: Partner) -> None:
        self.partners.insert(partner.id, partner)

    async def save(self, partner: Partner) -> None:
        self.partners.update(partner.id, partner)

    async def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    async def get_many(self, partner_ids: set[str], scope: Scope) -> list[Partner]:
        return [
            p
            for p in self.partners.values()
            if p.id in partner_ids and scope.admits(p.owner_org, p.visibility)
        ]

    async def search(self, where: PartnerFilter) -> list[Partner]:
        found = [p for p in self.partners.values() if _matches(p, where)]
        found.sort(key=lambda p: p.id)
        found.sort(key=lambda p: p.registered_at, reverse=True)
        if where.limit is None:
            return found
        return found[where.offset : where.offset + where.limit]


def _matches(partner: Partner, where: PartnerFilter) -> bool:
    profile = partner.profile
    scopes = [where.scope] if where.also_seen_by is None else [where.scope, where.also_seen_by]
    return (
        all(scope.admits(partner.owner_org, partner.visibility) for scope in scopes)
        and (not where.country or where.country in profile.countries)
        and (not where.track or where.track in profile.tracks)
        and (where.is_local is None or profile.is_local == where.is_local)
        and (where.women_led is None or profile.women_led == where.women_led)
    )


class FakePartnershipRepository(FakeRepository):
    """Reads the engagements read model for each partnership's visibility, as the SQL does."""

    def __init__(self, engagements: FakeEngagementRepository) -> None:
        self.partnerships = Rows[str, Partnership]()
        self._engagements = engagements

    async def add(self, partnership: Partnership) -> None:
        self.partnerships.insert(partnership.id, partnership)

    async def save(self, partnership: Partnership) -> None:
        self.partnerships.update(partnership.id, partnership)

    async def get(self, partnership_id: str) -> Partnership | None:
        found = self.partnerships.get(partnership_id)
        return self._with_visibility(found) if found else None

    async def held(self, partner_id: str, engagement_id: str) -> list[Partnership]:
        return [
            p for p in self._all() if (p.partner_id, p.engagement_id) == (partner_id, engagement_id)
        ]

    async def search(self, where: PartnershipFilter) -> list[Partnership]:
        found = [
            p
            for p in self._all()
            if where.scope.admits(p.owner_org, p.visibility)
            and where.engagement_id in (None, p.engagement_id)
            and where.partner_id in (None, p.partner_id)
        ]
        found.sort(key=lambda p: (p.period.starts_on, p.id))
        return found[where.offset : where.offset + where.limit]

    async def partners_not_over(self, engagement_id: str, day: date) -> set[str]:
        return {
            p.partner_id
            for p in self.partnerships.values()
            if p.engagement_id == engagement_id and p.period.includes_or_follows(day)
        }

    async def partners_within(self, coverage: Coverage) -> set[str]:
        covered = self._engagements.covered(coverage)
        return {p.partner_id for p in self.partnerships.values() if p.engagement_id in covered}

    def _all(self) -> list[Partnership]:
        return [self._with_visibility(p) for p in self.partnerships.values()]

    def _with_visibility(self, partnership: Partnership) -> Partnership:
        engagement = self._engagements.engagements.get(partnership.engagement_id)
        visibility = engagement.visibility if engagement else Visibility.owner.value
        return replace(partnership, visibility=visibility)


class FakeMemberRepository(FakeRepository):
    def __init__(self) -> None:
        self.members = Rows[str, Member]()

    async def add(self, member: Member) -> None:
        if await self.named(member.name) is not None:
            raise DuplicateKey(name_key(member.name))  # the name key is unique
        self.members.insert(member.id, member)

    async def get(self, member_id: str) -> Member | None:
        return self.members.get(member_id)

    async def named(self, name: str) -> Member | None:
        return next((m for m in self.members.values() if name_key(m.name) == name_key(name)), None)

    async def search(self, role: str | None, limit: int, offset: int) -> list[Member]:
        found = [m for m in self.members.values() if role is None or role in m.roles]
        found.sort(key=lambda m: (name_key(m.name), m.id))
        return found[offset : offset + limit]


class FakeTrainerRepository(FakeRepository):
    def __init__(self) -> None:
        self.trainers = Rows[str, Trainer]()

    async def add(self, trainer: Trainer) -> None:
        self.trainers.insert(trainer.id, trainer)

    async def get(self, trainer_id: str) -> Trainer | None:
        return self.trainers.get(trainer_id)

    async def search(self, scope: Scope, limit: int, offset: int) -> list[Trainer]:
        found = [t for t in self.trainers.values() if scope.admits(t.owner_org, t.visibility)]
        found.sort(key=lambda t: (t.catalogued_at, t.id))
        return found[offset : offset + limit]


class FakeEngagementRepository(FakeRepository):
    """The engagements read model."""

    def __init__(self) -> None:
        self.engagements = Rows[str, KnownEngagement]()

    async def get(self, engagement_id: str) -> KnownEngagement | None:
        return self.engagements.get(engagement_id)

    async def put(self, engagement: KnownEngagement) -> None:
        self.engagements.put(engagement.engagement_id, engagement)

    async def count(self, coverage: Coverage) -> int:
        return len(self.covered(coverage))

    def covered(self, coverage: Coverage) -> set[str]:
        return {
            e.engagement_id
            for e in self.engagements.values()
            if coverage.scope.admits(e.owner_org, e.visibility)
            and coverage.engagement_id in (None, e.engagement_id)
            and coverage.owner_org in (None, e.owner_org)
        }


class FakeActivityRepository(FakeRepository):
    """The activity read models; what a figure covers is read from the engagements read model."""

    def __init__(self, engagements: FakeEngagementRepository) -> None:
        self.activities = Rows[str, ActivityFacts]()
        self._engagements = engagements

    async def put(self, activity: ActivityFacts) -> None:
        self.activities.put(activity.activity_id, activity)

    async def tracks_of(self, engagement_id: str) -> set[int]:
        return {
            track
            for a in self.activities.values()
            if a.engagement_id == engagement_id
            for track in a.tracks
        }

    async def led_locally(self, coverage: Coverage) -> tuple[int, int]:
        within = self._within(coverage)
        return len(within), sum(a.led_locally for a in within)

    async def tallies(self, coverage: Coverage) -> list[Tally]:
        totals: dict[tuple[str, str], int] = {}
        for activity in self._within(coverage):
            for t in activity.participants:
                totals[t.sex, t.role] = totals.get((t.sex, t.role), 0) + t.count
        return [Tally(sex, role, n) for (sex, role), n in sorted(totals.items())]

    def _within(self, coverage: Coverage) -> list[ActivityFacts]:
        covered = self._engagements.covered(coverage)
        return [a for a in self.activities.values() if a.engagement_id in covered]


class FakeMethodCatalogueRepository(FakeRepository):
    def __init__(self) -> None:
        self.methods = Rows[str, CataloguedMethod]()

    async def get(self, code: str) -> CataloguedMethod | None:
        return self.methods.get(code)

    async def put(self, method: CataloguedMethod) -> None:
        self.methods.put(method.code, method)

    async def named(self, codes: Iterable[str]) -> dict[str, CataloguedMethod]:
        return {c: m for c in set(codes) if (m := self.methods.get(c)) is not None}


class FakePartnersUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.partners = FakePartnerRepository()
        self.members = FakeMemberRepository()
        self.trainers = FakeTrainerRepository()
        self.methods = FakeMethodCatalogueRepository()
        self.engagements = FakeEngagementRepository()
        self.partnerships = FakePartnershipRepository(self.engagements)
        self.activities = FakeActivityRepository(self.engagements)
        self.deliveries = FakeDeliveryRepository()
        self.subscriptions = FakeSubscriptionRepository(self.deliveries)
        self.forwarded_events = FakeForwardedEventRepository()
