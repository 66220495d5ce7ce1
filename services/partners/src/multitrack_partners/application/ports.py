"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from multitrack_partners.domain.model import Partner
from multitrack_shared.events.envelope import IntegrationEvent

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PartnerFilter:
    country: str | None = None
    track: int | None = None
    is_local: bool | None = None
    women_led: bool | None = None
    limit: int = 50
    offset: int = 0


class PartnerRepository(Protocol):
    async def add(self, partner: Partner) -> None: ...
    async def get(self, partner_id: str) -> Partner | None: ...
    async def search(self, where: PartnerFilter) -> list[Partner]: ...


class PartnersUoW(Protocol):
    @property
    def partners(self) -> PartnerRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, event: IntegrationEvent) -> None: ...
    async def commit(self) -> None: ...
