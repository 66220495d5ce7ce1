"""What the use cases need from the outside world, as protocols."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from multitrack_invitations.domain.conflicts import KnownConflict
from multitrack_invitations.domain.criteria import AssessmentCriterion
from multitrack_invitations.domain.invitation import Invitation
from multitrack_invitations.domain.lessons import Lesson
from multitrack_shared.auth.policy import Scope
from multitrack_shared.ports import UnitOfWorkPort

CONSORTIUM_WIDE = Scope(organization=None)
"""Consortium-visible records only: what a filter sees until its caller's scope is put in."""


@dataclass(frozen=True)
class InvitationFilter:
    scope: Scope = CONSORTIUM_WIDE
    """Whose owner-only invitations are seen too: the caller's (``scope_of``)."""
    status: str | None = None
    country: str | None = None
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None
    track: int | None = None
    inviter_side: str | None = None
    owner_org: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    limit: int = 50
    offset: int = 0


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> None: ...
    async def get(self, invitation_id: str) -> Invitation | None: ...
    async def save(self, invitation: Invitation) -> None: ...
    async def search(self, where: InvitationFilter) -> list[Invitation]: ...


class LessonRepository(Protocol):
    """The lessons read model."""

    async def get(self, lesson_id: str) -> Lesson | None: ...
    async def put(self, lesson: Lesson) -> None: ...
    async def active(self, scope: Scope) -> list[Lesson]:
        """The lessons not retired, among those ``scope`` sees."""
        ...


class CriterionRepository(Protocol):
    """The assessment criteria read model: the criteria the consortium has changed."""

    async def get(self, code: str) -> AssessmentCriterion | None: ...
    async def put(self, criterion: AssessmentCriterion) -> None: ...
    async def changed(self) -> list[AssessmentCriterion]: ...


class ConflictRepository(Protocol):
    """The shared conflicts read model."""

    async def get(self, conflict_id: str) -> KnownConflict | None: ...
    async def put(self, conflict: KnownConflict) -> None: ...


class InvitationsUoW(UnitOfWorkPort, Protocol):
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def lessons(self) -> LessonRepository: ...
    @property
    def criteria(self) -> CriterionRepository: ...
    @property
    def conflicts(self) -> ConflictRepository: ...
