"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from multitrack_engagements.domain.model import Engagement
from multitrack_shared.events.envelope import IntegrationEvent


@dataclass(frozen=True)
class EngagementFilter:
    status: str | None = None
    country: str | None = None
    invitation_id: str | None = None
    owner_org: str | None = None
    limit: int = 50
    offset: int = 0


class EngagementRepository(Protocol):
    async def add(self, engagement: Engagement) -> None: ...
    async def get(self, engagement_id: str) -> Engagement | None: ...
    async def search(self, where: EngagementFilter) -> list[Engagement]: ...


class EngagementsUoW(Protocol):
    @property
    def engagements(self) -> EngagementRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, event: IntegrationEvent) -> None: ...
    async def commit(self) -> None: ...
