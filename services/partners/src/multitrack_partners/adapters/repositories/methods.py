"""Every SQL query on the read model of the catalogue of methods."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import CataloguedMethodRow
from multitrack_partners.domain.methods import CataloguedMethod
from multitrack_shared.times import utc


class SqlMethodCatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> CataloguedMethod | None:
        row = await self._session.get(CataloguedMethodRow, code)
        return _to_domain(row) if row else None

    async def put(self, method: CataloguedMethod) -> None:
        """Insert or replace, keyed by the method's code."""
        row = await self._session.get(CataloguedMethodRow, method.code)
        if row is None:
            row = CataloguedMethodRow(code=method.code)
        row.active, row.changed_at = method.active, method.changed_at
        self._session.add(row)

    async def named(self, codes: Iterable[str]) -> dict[str, CataloguedMethod]:
        query = select(CataloguedMethodRow).where(col(CataloguedMethodRow.code).in_(set(codes)))
        return {row.code: _to_domain(row) for row in (await self._session.exec(query)).all()}


def _to_domain(row: CataloguedMethodRow) -> CataloguedMethod:
    return CataloguedMethod(row.code, row.active, utc(row.changed_at))
