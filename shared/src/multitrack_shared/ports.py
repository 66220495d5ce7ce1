"""Ports every service's use cases share; framework-free, so application layers may import them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from multitrack_shared.events.envelope import IntegrationEvent

Clock = Callable[[], datetime]


class UnitOfWorkPort(Protocol):
    """What a use case sees of ``db.uow.UnitOfWork``; services add their repositories."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, event: IntegrationEvent) -> None: ...
    async def commit(self) -> None: ...
