from __future__ import annotations

from multitrack_invitations.adapters.lessons import SqlLessonRepository
from multitrack_invitations.adapters.repository import SqlInvitationRepository
from multitrack_shared.db.uow import UnitOfWork


class InvitationsUnitOfWork(UnitOfWork):
    invitations: SqlInvitationRepository
    lessons: SqlLessonRepository

    def _opened(self) -> None:
        self.invitations = SqlInvitationRepository(self.session)
        self.lessons = SqlLessonRepository(self.session)
