"""Ports every service's use cases share; framework-free, so application layers may import them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from multitrack_shared.events.envelope import IntegrationEvent

Clock = Callable[[], datetime]

UoW = TypeVar("UoW")

EventHandlers = Mapping[type[IntegrationEvent], Callable[[Any, UoW], Awaitable[None]]]
"""What a service's ``entrypoints/consumers.py`` declares: event class → ``on_<event>``
handler, typed against the service's unit-of-work port; the composition root hands it to the
consumer runtime with the concrete unit of work."""


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
    def record_change(self, record_type: str, record_id: str, action: str) -> None:
        """Audit a state change that publishes no event (a published event is audited)."""
        ...

    async def commit(self) -> None: ...
