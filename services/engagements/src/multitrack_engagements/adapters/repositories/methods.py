"""Every SQL query on the catalogue of methods, a read model of the consortium's reference
data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import CataloguedMethodRow
from multitrack_engagements.domain.methods import CataloguedMethod
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.times import utc


class SqlMethodCatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> CataloguedMethod | None:
        row = await self._session.get(CataloguedMethodRow, code)
        return _to_domain(row) if row else None

    async def save(self, method: CataloguedMethod) -> None:
        fields: dict[str, Any] = {
            "label": method.label,
            "origin": method.origin.value,
            "active": method.active,
            "changed_at": method.changed_at,
        }
        row = await self._session.get(CataloguedMethodRow, method.code)
        if row is None:
            self._session.add(CataloguedMethodRow(code=method.code, **fields))
            return
        for name, value in fields.items():
            setattr(row, name, value)

    async def named(self, codes: Sequence[str]) -> dict[str, CataloguedMethod]:
        if not codes:
            return {}
        query = select(CataloguedMethodRow).where(col(CataloguedMethodRow.code).in_(codes))
        return {row.code: _to_domain(row) for row in (await self._session.exec(query)).all()}


def _to_domain(row: CataloguedMethodRow) -> CataloguedMethod:
    return CataloguedMethod(
        code=row.code,
        label=row.label,
        origin=CatalogueOrigin(row.origin),
        active=row.active,
        changed_at=utc(row.changed_at),
    )
