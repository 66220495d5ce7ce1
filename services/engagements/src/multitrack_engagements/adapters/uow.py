from __future__ import annotations

from multitrack_engagements.adapters.repository import SqlEngagementRepository
from multitrack_shared.db.uow import UnitOfWork


class EngagementsUnitOfWork(UnitOfWork):
    engagements: SqlEngagementRepository

    def _opened(self) -> None:
        self.engagements = SqlEngagementRepository(self.session)
