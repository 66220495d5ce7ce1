"""In-memory fakes of the invitations service's ports (``application/ports.py``), for the unit
tests of its use cases. Each answers as its SQL repository does: same filters, same order."""

from __future__ import annotations

from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.conflicts import KnownConflict
from multitrack_invitations.domain.criteria import AssessmentCriterion
from multitrack_invitations.domain.invitation import Invitation
from multitrack_invitations.domain.lessons import Lesson
from multitrack_shared.auth.policy import Scope
from multitrack_shared.testing.fakes import FakeRepository, FakeUnitOfWork, Rows
from multitrack_shared.times import utc


class FakeInvitationRepository(FakeRepository):
    def __init__(self) -> None:
        self.invitations = Rows[str, Invitation]()

    async def add(self, invitation: Invitation) -> None:
        self.invitations.insert(invitation.id, invitation)

    async def get(self, invitation_id: str) -> Invitation | None:
        return self.invitations.get(invitation_id)

    async def save(self, invitation: Invitation) -> None:
        self.invitations.update(invitation.id, invitation)

    async def search(self, where: InvitationFilter) -> list[Invitation]:
        found = [i for i in self.invitations.values() if _matches(i, where)]
        found.sort(key=lambda i: i.id)
        found.sort(key=lambda i: utc(i.received_at), reverse=True)
        return found[where.offset : where.offset + where.limit]


def _matches(invitation: Invitation, where: InvitationFilter) -> bool:
    conflict, inviter = invitation.conflict, invitation.inviter
    received = utc(invitation.received_at)
    wanted = [
        (where.status, invitation.status.value),
        (where.country, conflict.country),
        (_key(where.region), _key(conflict.region)),
        (_key(where.conflict_type), _key(conflict.conflict_type)),
        (_key(where.phase), _key(conflict.phase)),
        (where.track, inviter.track),
        (_key(where.inviter_side), _key(inviter.side)),
        (where.owner_org, invitation.owner_org),
    ]
    return (
        where.scope.admits(invitation.owner_org, invitation.visibility)
        and all(not asked or asked == value for asked, value in wanted)
        and (not where.received_from or received >= utc(where.received_from))
        and (not where.received_to or received <= utc(where.received_to))
    )


def _key(words: str | None) -> str | None:
    return words.strip().casefold() if words is not None else None


class FakeLessonRepository(FakeRepository):
    """The lessons read model."""

    def __init__(self) -> None:
        self.lessons = Rows[str, Lesson]()

    async def get(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    async def put(self, lesson: Lesson) -> None:
        self.lessons.put(lesson.lesson_id, lesson)

    async def active(self, scope: Scope) -> list[Lesson]:
        return sorted(
            (
                x
                for x in self.lessons.values()
                if x.active and scope.admits(x.owner_org, x.visibility)
            ),
            key=lambda x: x.lesson_id,
        )


class FakeCriterionRepository(FakeRepository):
    """The assessment criteria read model."""

    def __init__(self) -> None:
        self.criteria = Rows[str, AssessmentCriterion]()

    async def get(self, code: str) -> AssessmentCriterion | None:
        return self.criteria.get(code)

    async def put(self, criterion: AssessmentCriterion) -> None:
        self.criteria.put(criterion.code, criterion)

    async def changed(self) -> list[AssessmentCriterion]:
        return sorted(self.criteria.values(), key=lambda c: c.code)


class FakeConflictRepository(FakeRepository):
    """The shared conflicts read model."""

    def __init__(self) -> None:
        self.conflicts = Rows[str, KnownConflict]()

    async def get(self, conflict_id: str) -> KnownConflict | None:
        return self.conflicts.get(conflict_id)

    async def put(self, conflict: KnownConflict) -> None:
        self.conflicts.put(conflict.conflict_id, conflict)


class FakeInvitationsUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.invitations = FakeInvitationRepository()
        self.lessons = FakeLessonRepository()
        self.criteria = FakeCriterionRepository()
        self.conflicts = FakeConflictRepository()
