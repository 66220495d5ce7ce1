from __future__ import annotations

from multitrack_partners.adapters.repository import SqlPartnerRepository
from multitrack_shared.db.uow import UnitOfWork


class PartnersUnitOfWork(UnitOfWork):
    partners: SqlPartnerRepository

    def _opened(self) -> None:
        self.partners = SqlPartnerRepository(self.session)
