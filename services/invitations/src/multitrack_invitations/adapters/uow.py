"""The invitations service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from multitrack_invitations.adapters.repositories.conflicts import SqlConflictRepository
from multitrack_invitations.adapters.repositories.criteria import SqlCriterionRepository
from multitrack_invitations.adapters.repositories.invitations import SqlInvitationRepository
from multitrack_invitations.adapters.repositories.lessons import SqlLessonRepository
from multitrack_shared.db.uow import Repository, UnitOfWork


class InvitationsUnitOfWork(UnitOfWork):
    invitations = Repository(SqlInvitationRepository)
    lessons = Repository(SqlLessonRepository)
    criteria = Repository(SqlCriterionRepository)
    conflicts = Repository(SqlConflictRepository)
