"""Every SQL query on the Do No Harm register."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import EngagementRow, HarmEntryRow
from multitrack_engagements.domain.do_no_harm import (
    Affected,
    HarmEntry,
    HarmKind,
    HarmStatus,
    RiskElsewhere,
    Severity,
)
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.events.vocabulary import ParticipantRole
from multitrack_shared.times import utc


class SqlHarmRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: HarmEntry) -> None:
        self._session.add(HarmEntryRow(id=entry.id, **_row_fields(entry)))

    async def get(self, entry_id: str) -> HarmEntry | None:
        row = await self._session.get(HarmEntryRow, entry_id)
        return _to_entry(row) if row else None

    async def save(self, entry: HarmEntry) -> None:
        await save_versioned(self._session, HarmEntryRow, entry.id, entry, _row_fields(entry))

    async def of_engagement(self, engagement_id: str) -> list[HarmEntry]:
        query = (
            select(HarmEntryRow)
            .where(HarmEntryRow.engagement_id == engagement_id)
            .order_by(col(HarmEntryRow.noted_on), col(HarmEntryRow.recorded_at))
        )
        return [_to_entry(row) for row in (await self._session.exec(query)).all()]

    async def unmitigated_high_risks_near(
        self, country: str, other_than: str
    ) -> list[RiskElsewhere]:
        query = (
            select(HarmEntryRow.place, EngagementRow.owner_org)
            .join(EngagementRow, col(EngagementRow.id) == col(HarmEntryRow.engagement_id))
            .where(
                EngagementRow.country == country.upper(),
                HarmEntryRow.engagement_id != other_than,
                HarmEntryRow.kind == HarmKind.risk.value,
                HarmEntryRow.severity == Severity.high.value,
                HarmEntryRow.status == HarmStatus.open.value,
                col(HarmEntryRow.mitigation).is_(None),
                col(HarmEntryRow.place).is_not(None),
            )
        )
        rows = (await self._session.exec(query)).all()
        return [RiskElsewhere(place, owner) for place, owner in rows if place is not None]


def _row_fields(entry: HarmEntry) -> dict[str, Any]:
    return {
        "engagement_id": entry.engagement_id,
        "kind": entry.kind.value,
        "category": entry.category,
        "severity": entry.severity.value,
        "noted_on": entry.noted_on,
        "place": entry.place,
        "description": entry.description,
        "mitigation": entry.mitigation,
        "affected": [
            {"role": a.role.value, "count": a.count, "side": a.side} for a in entry.affected
        ],
        "activity_ids": list(entry.activity_ids),
        "dividers": list(entry.dividers),
        "connectors": list(entry.connectors),
        "status": entry.status.value,
        "recorded_at": entry.recorded_at,
        "reviewed_at": entry.reviewed_at,
    }


def _to_entry(row: HarmEntryRow) -> HarmEntry:
    return HarmEntry(
        id=row.id,
        engagement_id=row.engagement_id,
        kind=HarmKind(row.kind),
        category=row.category,
        severity=Severity(row.severity),
        noted_on=row.noted_on,
        place=row.place,
        description=row.description,
        affected=tuple(
            Affected(ParticipantRole(a["role"]), a["count"], a["side"]) for a in row.affected
        ),
        activity_ids=tuple(row.activity_ids),
        dividers=tuple(row.dividers),
        connectors=tuple(row.connectors),
        mitigation=row.mitigation,
        recorded_at=utc(row.recorded_at),
        status=HarmStatus(row.status),
        reviewed_at=utc(row.reviewed_at) if row.reviewed_at else None,
        version=row.version,
    )
