"""Every SQL query on the shared conflict records."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import ConflictRow
from multitrack_engagements.application.ports import ConflictFilter
from multitrack_engagements.domain.analysis import Actor, ActorRole
from multitrack_engagements.domain.conflicts import ConflictProfile, SharedConflict
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlConflictRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, conflict: SharedConflict) -> None:
        self._session.add(ConflictRow(id=conflict.id, **_row_fields(conflict)))

    async def get(self, conflict_id: str) -> SharedConflict | None:
        row = await self._session.get(ConflictRow, conflict_id)
        return _to_conflict(row) if row else None

    async def save(self, conflict: SharedConflict) -> None:
        await save_versioned(
            self._session, ConflictRow, conflict.id, conflict, _row_fields(conflict)
        )

    async def search(self, where: ConflictFilter) -> list[SharedConflict]:
        query = select(ConflictRow).where(
            visible_to(where.scope, col(ConflictRow.owner_org), col(ConflictRow.visibility))
        )
        if where.country:
            query = query.where(ConflictRow.country == where.country)
        query = (
            query.order_by(col(ConflictRow.name), col(ConflictRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_conflict(row) for row in (await self._session.exec(query)).all()]


def _row_fields(conflict: SharedConflict) -> dict[str, Any]:
    p = conflict.profile
    return {
        "owner_org": conflict.owner_org,
        "visibility": conflict.visibility,
        "name": p.name,
        "country": p.country,
        "region": p.region,
        "conflict_type": p.conflict_type,
        "phase": p.phase,
        "actors": [
            {"name": a.name, "side": a.side, "track": a.track, "role": a.role.value}
            for a in p.actors
        ],
        "registered_at": conflict.registered_at,
        "revised_at": conflict.revised_at,
    }


def _to_conflict(row: ConflictRow) -> SharedConflict:
    return SharedConflict(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        profile=ConflictProfile(
            name=row.name,
            country=row.country,
            region=row.region,
            conflict_type=row.conflict_type,
            phase=row.phase,
            actors=tuple(
                Actor(a["name"], a["side"], a["track"], ActorRole(a["role"])) for a in row.actors
            ),
        ),
        registered_at=utc(row.registered_at),
        revised_at=utc(row.revised_at) if row.revised_at else None,
        version=row.version,
    )
