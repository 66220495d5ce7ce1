from __future__ import annotations

from multitrack_partners.adapters.repositories.activities import SqlActivityRepository
from multitrack_partners.adapters.repositories.engagements import SqlEngagementRepository
from multitrack_partners.adapters.repositories.members import SqlMemberRepository
from multitrack_partners.adapters.repositories.partners import SqlPartnerRepository
from multitrack_partners.adapters.repositories.partnerships import SqlPartnershipRepository
from multitrack_shared.db.uow import UnitOfWork


class PartnersUnitOfWork(UnitOfWork):
    partners: SqlPartnerRepository
    members: SqlMemberRepository
    partnerships: SqlPartnershipRepository
    engagements: SqlEngagementRepository
    activities: SqlActivityRepository

    def _opened(self) -> None:
        self.partners = SqlPartnerRepository(self.session)
        self.members = SqlMemberRepository(self.session)
        self.partnerships = SqlPartnershipRepository(self.session)
        self.engagements = SqlEngagementRepository(self.session)
        self.activities = SqlActivityRepository(self.session)
