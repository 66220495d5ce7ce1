"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from multitrack_evaluation.domain.model import Lesson
from multitrack_shared.events.envelope import IntegrationEvent

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class LessonFilter:
    country: str | None = None
    track: int | None = None
    limit: int = 50
    offset: int = 0


class LessonRepository(Protocol):
    async def add(self, lesson: Lesson) -> None: ...
    async def get(self, lesson_id: str) -> Lesson | None: ...
    async def search(self, where: LessonFilter) -> list[Lesson]: ...


class EvaluationUoW(Protocol):
    @property
    def lessons(self) -> LessonRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def publish(self, event: IntegrationEvent) -> None: ...
    async def commit(self) -> None: ...
