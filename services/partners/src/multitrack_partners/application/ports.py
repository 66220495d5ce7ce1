"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from multitrack_partners.domain.activity import ActivityFacts, Tally
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.member import Member
from multitrack_partners.domain.partner import Partner
from multitrack_partners.domain.partnership import Partnership
from multitrack_shared.ports import UnitOfWorkPort


@dataclass(frozen=True)
class PartnerFilter:
    country: str | None = None
    track: int | None = None
    is_local: bool | None = None
    women_led: bool | None = None
    limit: int | None = 50
    """None: every match, for rules that must see them all (suggestions)."""
    offset: int = 0


class PartnerRepository(Protocol):
    async def add(self, partner: Partner) -> None: ...
    async def save(self, partner: Partner) -> None: ...
    async def get(self, partner_id: str) -> Partner | None: ...
    async def get_many(self, partner_ids: set[str]) -> list[Partner]: ...
    async def search(self, where: PartnerFilter) -> list[Partner]: ...


@dataclass(frozen=True)
class Scope:
    """Which engagements a figure covers: one, one member's, or (neither given) all."""

    engagement_id: str | None = None
    owner_org: str | None = None


@dataclass(frozen=True)
class PartnershipFilter:
    engagement_id: str | None = None
    partner_id: str | None = None
    limit: int = 50
    offset: int = 0


class PartnershipRepository(Protocol):
    async def add(self, partnership: Partnership) -> None: ...
    async def save(self, partnership: Partnership) -> None: ...
    async def get(self, partnership_id: str) -> Partnership | None: ...
    async def held(self, partner_id: str, engagement_id: str) -> list[Partnership]: ...
    async def search(self, where: PartnershipFilter) -> list[Partnership]: ...
    async def partners_not_over(self, engagement_id: str, day: date) -> set[str]: ...
    async def partners_within(self, scope: Scope) -> set[str]: ...


class MemberRepository(Protocol):
    async def add(self, member: Member) -> None: ...
    async def get(self, member_id: str) -> Member | None: ...
    async def named(self, name: str) -> Member | None: ...
    async def search(self, role: str | None, limit: int, offset: int) -> list[Member]: ...


class EngagementRepository(Protocol):
    """The engagements read model."""

    async def get(self, engagement_id: str) -> KnownEngagement | None: ...
    async def put(self, engagement: KnownEngagement) -> None: ...
    async def count(self, owner_org: str | None) -> int: ...


class ActivityRepository(Protocol):
    """The activity read models."""

    async def put(self, activity: ActivityFacts) -> None: ...
    async def tracks_of(self, engagement_id: str) -> set[int]: ...
    async def led_locally(self, scope: Scope) -> tuple[int, int]: ...
    async def tallies(self, scope: Scope) -> list[Tally]: ...


class PartnersUoW(UnitOfWorkPort, Protocol):
    @property
    def partners(self) -> PartnerRepository: ...
    @property
    def members(self) -> MemberRepository: ...
    @property
    def partnerships(self) -> PartnershipRepository: ...
    @property
    def engagements(self) -> EngagementRepository: ...
    @property
    def activities(self) -> ActivityRepository: ...
