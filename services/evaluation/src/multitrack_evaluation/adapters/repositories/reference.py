"""Every SQL query on the consortium's reference data."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import ReferenceItemRow
from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.events.vocabulary import CatalogueOrigin

KIND_ORDER = {kind: n for n, kind in enumerate(ReferenceKind)}


class SqlReferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def entries(self, kind: ReferenceKind | None = None) -> list[ReferenceEntry]:
        query = select(ReferenceItemRow)
        if kind is not None:
            query = query.where(ReferenceItemRow.kind == kind.value)
        found = [_to_domain(row) for row in (await self._session.exec(query)).all()]
        return sorted(found, key=lambda e: (KIND_ORDER[e.kind], e.position, e.code))

    async def get(self, kind: ReferenceKind, code: str) -> ReferenceEntry | None:
        row = await self._session.get(ReferenceItemRow, (kind.value, code))
        return _to_domain(row) if row else None

    async def add(self, entry: ReferenceEntry) -> None:
        self._session.add(
            ReferenceItemRow(
                kind=entry.kind.value,
                code=entry.code,
                label=entry.label,
                description=entry.description,
                active=entry.active,
                position=entry.position,
                procedure=entry.procedure,
                essential=entry.essential,
                origin=entry.origin.value if entry.origin else None,
            )
        )

    async def save(self, entry: ReferenceEntry) -> None:
        key = (entry.kind.value, entry.code)
        fields = {
            "label": entry.label,
            "description": entry.description,
            "active": entry.active,
            "procedure": entry.procedure,
            "essential": entry.essential,
            "origin": entry.origin.value if entry.origin else None,
        }
        await save_versioned(self._session, ReferenceItemRow, key, entry, fields)


def _to_domain(row: ReferenceItemRow) -> ReferenceEntry:
    return ReferenceEntry(
        kind=ReferenceKind(row.kind),
        code=row.code,
        label=row.label,
        description=row.description,
        active=row.active,
        position=row.position,
        procedure=row.procedure,
        essential=row.essential,
        origin=CatalogueOrigin(row.origin) if row.origin else None,
        version=row.version,
    )
