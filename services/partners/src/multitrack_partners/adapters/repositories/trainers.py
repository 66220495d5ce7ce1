"""Every SQL query on the catalogue of trainers."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import TrainerRow
from multitrack_partners.domain.trainer import Trainer
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlTrainerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, trainer: Trainer) -> None:
        self._session.add(
            TrainerRow(
                id=trainer.id,
                owner_org=trainer.owner_org,
                visibility=trainer.visibility,
                name=trainer.name,
                organization=trainer.organization,
                methods=list(trainer.methods),
                local=trainer.local,
                catalogued_at=trainer.catalogued_at,
            )
        )

    async def get(self, trainer_id: str) -> Trainer | None:
        row = await self._session.get(TrainerRow, trainer_id)
        return _to_domain(row) if row else None

    async def search(self, scope: Scope, limit: int, offset: int) -> list[Trainer]:
        query = (
            select(TrainerRow)
            .where(visible_to(scope, col(TrainerRow.owner_org), col(TrainerRow.visibility)))
            .order_by(col(TrainerRow.catalogued_at), col(TrainerRow.id))
            .limit(limit)
            .offset(offset)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _to_domain(row: TrainerRow) -> Trainer:
    return Trainer(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        name=row.name,
        organization=row.organization,
        methods=tuple(row.methods),
        local=row.local,
        catalogued_at=utc(row.catalogued_at),
    )
