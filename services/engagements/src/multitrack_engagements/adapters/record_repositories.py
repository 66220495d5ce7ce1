"""Every SQL query on the engagement's own records: analyses, listening, activities, liaison."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.engagement_repository import aware
from multitrack_engagements.adapters.tables import (
    ActivityRow,
    AnalysisRow,
    HeardPartyRow,
    LiaisonRow,
)
from multitrack_engagements.domain.activities import (
    Activity,
    DoNoHarm,
    Facilitator,
    Method,
    ParticipantCount,
)
from multitrack_engagements.domain.analysis import Actor, ActorRole, ConflictAnalysis
from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_engagements.domain.listening import HeardParty
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex


class SqlAnalysisRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, analysis: ConflictAnalysis) -> None:
        self._session.add(
            AnalysisRow(
                engagement_id=analysis.engagement_id,
                version=analysis.version,
                analysed_on=analysis.analysed_on,
                participants=list(analysis.participants),
                actors=[{**asdict(a), "role": a.role.value} for a in analysis.actors],
                causes=list(analysis.causes),
                dividers=list(analysis.dividers),
                connectors=list(analysis.connectors),
                recorded_at=analysis.recorded_at,
            )
        )

    async def latest(self, engagement_id: str) -> ConflictAnalysis | None:
        query = (
            select(AnalysisRow)
            .where(AnalysisRow.engagement_id == engagement_id)
            .order_by(col(AnalysisRow.version).desc())
            .limit(1)
        )
        row = (await self._session.exec(query)).first()
        return to_analysis(row) if row else None

    async def get(self, engagement_id: str, version: int) -> ConflictAnalysis | None:
        row = await self._session.get(AnalysisRow, (engagement_id, version))
        return to_analysis(row) if row else None

    async def of_engagement(self, engagement_id: str) -> list[ConflictAnalysis]:
        query = (
            select(AnalysisRow)
            .where(AnalysisRow.engagement_id == engagement_id)
            .order_by(col(AnalysisRow.version))
        )
        return [to_analysis(row) for row in (await self._session.exec(query)).all()]


def to_analysis(row: AnalysisRow) -> ConflictAnalysis:
    return ConflictAnalysis(
        engagement_id=row.engagement_id,
        version=row.version,
        analysed_on=row.analysed_on,
        participants=tuple(row.participants),
        actors=tuple(to_actor(a) for a in row.actors),
        causes=tuple(row.causes),
        dividers=tuple(row.dividers),
        connectors=tuple(row.connectors),
        recorded_at=aware(row.recorded_at),
    )


def to_actor(data: dict[str, Any]) -> Actor:
    return Actor(data["name"], data["side"], data["track"], ActorRole(data["role"]))


class SqlListeningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: HeardParty) -> None:
        self._session.add(HeardPartyRow(**{**asdict(entry), "needs": list(entry.needs)}))

    async def of_engagement(self, engagement_id: str) -> list[HeardParty]:
        query = (
            select(HeardPartyRow)
            .where(HeardPartyRow.engagement_id == engagement_id)
            .order_by(col(HeardPartyRow.heard_on), col(HeardPartyRow.recorded_at))
        )
        return [
            HeardParty(
                **{
                    **row.model_dump(),
                    "needs": tuple(row.needs),
                    "recorded_at": aware(row.recorded_at),
                }
            )
            for row in (await self._session.exec(query)).all()
        ]


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, activity: Activity) -> None:
        self._session.add(
            ActivityRow(
                **{
                    **asdict(activity),
                    "tracks": list(activity.tracks),
                    "rpp_quadrant": activity.rpp_quadrant.value,
                    "methods": [asdict(m) for m in activity.methods],
                    "facilitators": [asdict(f) for f in activity.facilitators],
                    "participants": [asdict(p) for p in activity.participants],
                    "do_no_harm": {
                        "note": activity.do_no_harm.note,
                        "dividers": list(activity.do_no_harm.dividers),
                        "connectors": list(activity.do_no_harm.connectors),
                    },
                }
            )
        )

    async def of_engagement(self, engagement_id: str) -> list[Activity]:
        query = (
            select(ActivityRow)
            .where(ActivityRow.engagement_id == engagement_id)
            .order_by(col(ActivityRow.held_on), col(ActivityRow.recorded_at))
        )
        return [to_activity(row) for row in (await self._session.exec(query)).all()]


def to_activity(row: ActivityRow) -> Activity:
    dnh = row.do_no_harm
    return Activity(
        id=row.id,
        engagement_id=row.engagement_id,
        kind=row.kind,
        held_on=row.held_on,
        place=row.place,
        tracks=tuple(row.tracks),
        peacebuilding_kind=row.peacebuilding_kind,
        rpp_quadrant=RppQuadrant(row.rpp_quadrant),
        methods=tuple(Method(m["name"], MethodOrigin(m["origin"])) for m in row.methods),
        facilitators=tuple(Facilitator(f["name"], f["local"]) for f in row.facilitators),
        participants=tuple(
            ParticipantCount(
                sex=Sex(p["sex"]),
                role=ParticipantRole(p["role"]),
                track=p["track"],
                count=p["count"],
                side=p["side"],
            )
            for p in row.participants
        ),
        do_no_harm=DoNoHarm(dnh["note"], tuple(dnh["dividers"]), tuple(dnh["connectors"])),
        recorded_at=aware(row.recorded_at),
    )


class SqlLiaisonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: LiaisonEntry) -> None:
        self._session.add(LiaisonRow(**{**asdict(entry), "officials": list(entry.officials)}))

    async def of_engagement(self, engagement_id: str) -> list[LiaisonEntry]:
        query = (
            select(LiaisonRow)
            .where(LiaisonRow.engagement_id == engagement_id)
            .order_by(col(LiaisonRow.held_on), col(LiaisonRow.recorded_at))
        )
        return [
            LiaisonEntry(
                **{
                    **row.model_dump(),
                    "officials": tuple(row.officials),
                    "recorded_at": aware(row.recorded_at),
                }
            )
            for row in (await self._session.exec(query)).all()
        ]
