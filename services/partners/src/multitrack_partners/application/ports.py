"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from multitrack_partners.application.webhook_ports import (
    DeliveryRepository,
    ForwardedEventRepository,
    SubscriptionRepository,
)
from multitrack_partners.domain.activity import ActivityFacts, Tally
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.member import Member
from multitrack_partners.domain.methods import CataloguedMethod
from multitrack_partners.domain.partner import Partner
from multitrack_partners.domain.partnership import Partnership
from multitrack_partners.domain.trainer import Trainer
from multitrack_shared.auth.policy import Scope
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.ports import UnitOfWorkPort

CONSORTIUM_WIDE = Scope(None)
"""Consortium-visible records only: what a filter shows until a handler names the caller's
scope, so that a forgotten scope hides records rather than showing them."""


@dataclass(frozen=True)
class PartnerFilter:
    country: str | None = None
    track: int | None = None
    is_local: bool | None = None
    women_led: bool | None = None
    limit: int | None = 50
    """None: every match, for rules that must see them all (suggestions)."""
    offset: int = 0
    scope: Scope = CONSORTIUM_WIDE
    """Only partners this scope admits: the caller's (``policy.scope_of``)."""
    also_seen_by: Scope | None = None
    """And, when given, only those this scope admits too (the owner of an engagement)."""


class PartnerRepository(Protocol):
    async def add(self, partner: Partner) -> None: ...
    async def save(self, partner: Partner) -> None: ...
    async def get(self, partner_id: str) -> Partner | None: ...
    async def get_many(self, partner_ids: set[str], scope: Scope) -> list[Partner]: ...
    async def search(self, where: PartnerFilter) -> list[Partner]: ...


@dataclass(frozen=True)
class Coverage:
    """Which engagements a figure covers: one, one member's, or (neither given) all; of those,
    only the ones ``scope`` admits (the caller's)."""

    engagement_id: str | None = None
    owner_org: str | None = None
    scope: Scope = CONSORTIUM_WIDE


@dataclass(frozen=True)
class PartnershipFilter:
    engagement_id: str | None = None
    partner_id: str | None = None
    limit: int = 50
    offset: int = 0
    scope: Scope = CONSORTIUM_WIDE
    """Only partnerships on engagements this scope admits: a partnership follows its engagement."""


class PartnershipRepository(Protocol):
    async def add(self, partnership: Partnership) -> None: ...
    async def save(self, partnership: Partnership) -> None: ...
    async def get(self, partnership_id: str) -> Partnership | None: ...
    async def held(self, partner_id: str, engagement_id: str) -> list[Partnership]: ...
    async def search(self, where: PartnershipFilter) -> list[Partnership]: ...
    async def partners_not_over(self, engagement_id: str, day: date) -> set[str]: ...
    async def partners_within(self, coverage: Coverage) -> set[str]: ...


class TrainerRepository(Protocol):
    async def add(self, trainer: Trainer) -> None: ...
    async def get(self, trainer_id: str) -> Trainer | None: ...
    async def search(self, scope: Scope, limit: int, offset: int) -> list[Trainer]: ...


class MethodCatalogueRepository(Protocol):
    """The read model of the consortium's catalogue of methods."""

    async def get(self, code: str) -> CataloguedMethod | None: ...
    async def put(self, method: CataloguedMethod) -> None: ...
    async def named(self, codes: Iterable[str]) -> dict[str, CataloguedMethod]: ...


class MemberRepository(Protocol):
    async def add(self, member: Member) -> None: ...
    async def get(self, member_id: str) -> Member | None: ...
    async def named(self, name: str) -> Member | None: ...
    async def search(self, role: str | None, limit: int, offset: int) -> list[Member]: ...


class EngagementRepository(Protocol):
    """The engagements read model."""

    async def get(self, engagement_id: str) -> KnownEngagement | None: ...
    async def put(self, engagement: KnownEngagement) -> None: ...
    async def count(self, coverage: Coverage) -> int: ...


class ActivityRepository(Protocol):
    """The activity read models."""

    async def put(self, activity: ActivityFacts) -> None: ...
    async def tracks_of(self, engagement_id: str) -> set[int]: ...
    async def led_locally(self, coverage: Coverage) -> tuple[int, int]: ...
    async def tallies(self, coverage: Coverage) -> list[Tally]: ...


class PartnersUoW(UnitOfWorkPort, Protocol):
    consumed: Envelope | None
    """The event being applied, as it came (id, source, time), in a consumer's unit."""

    def forward(self, envelope: Envelope, topic: TopicSpec) -> None:
        """Copies ``envelope`` onto ``topic`` through the outbox when the unit commits."""
        ...

    @property
    def partners(self) -> PartnerRepository: ...
    @property
    def members(self) -> MemberRepository: ...
    @property
    def trainers(self) -> TrainerRepository: ...
    @property
    def methods(self) -> MethodCatalogueRepository: ...
    @property
    def partnerships(self) -> PartnershipRepository: ...
    @property
    def engagements(self) -> EngagementRepository: ...
    @property
    def activities(self) -> ActivityRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def forwarded_events(self) -> ForwardedEventRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
