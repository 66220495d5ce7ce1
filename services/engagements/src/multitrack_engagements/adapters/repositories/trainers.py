"""Every SQL query on the catalogue of trainers, a read model of the partners service's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import CataloguedTrainerRow
from multitrack_engagements.domain.training import CataloguedTrainer


class SqlTrainerCatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, trainer: CataloguedTrainer) -> None:
        await self._session.merge(
            CataloguedTrainerRow(
                trainer_id=trainer.trainer_id,
                owner_org=trainer.owner_org,
                visibility=trainer.visibility,
                local=trainer.local,
            )
        )

    async def named(self, trainer_ids: Sequence[str]) -> dict[str, CataloguedTrainer]:
        if not trainer_ids:
            return {}
        query = select(CataloguedTrainerRow).where(
            col(CataloguedTrainerRow.trainer_id).in_(trainer_ids)
        )
        return {
            row.trainer_id: CataloguedTrainer(
                row.trainer_id, row.owner_org, row.visibility, row.local
            )
            for row in (await self._session.exec(query)).all()
        }
