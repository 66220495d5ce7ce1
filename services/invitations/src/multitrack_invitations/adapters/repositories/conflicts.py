"""Every SQL query of the shared conflicts read model."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_invitations.adapters.tables import ConflictSeenRow
from multitrack_invitations.domain.conflicts import KnownConflict
from multitrack_shared.times import utc


class SqlConflictRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, conflict_id: str) -> KnownConflict | None:
        row = await self._session.get(ConflictSeenRow, conflict_id)
        if row is None:
            return None
        return KnownConflict(
            conflict_id=row.conflict_id,
            owner_org=row.owner_org,
            visibility=row.visibility,
            name=row.name,
            country=row.country,
            changed_at=utc(row.changed_at),
        )

    async def put(self, conflict: KnownConflict) -> None:
        """Insert or overwrite the row of ``conflict.conflict_id``."""
        row = await self._session.get(ConflictSeenRow, conflict.conflict_id)
        if row is None:
            row = ConflictSeenRow(conflict_id=conflict.conflict_id)
            self._session.add(row)
        row.owner_org = conflict.owner_org
        row.visibility = conflict.visibility
        row.name = conflict.name
        row.country = conflict.country
        row.changed_at = conflict.changed_at
