"""Every SQL query on activities."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import ActivityRow
from multitrack_engagements.domain.activities import (
    Activity,
    DoNoHarm,
    Facilitator,
    Method,
    ParticipantCount,
)
from multitrack_engagements.domain.training import Training
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex
from multitrack_shared.times import utc


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
                    "training": asdict(activity.training) if activity.training else None,
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

    async def get(self, activity_id: str) -> Activity | None:
        row = await self._session.get(ActivityRow, activity_id)
        return to_activity(row) if row else None


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
        methods=tuple(
            Method(m["name"], MethodOrigin(m["origin"]), m.get("code")) for m in row.methods
        ),
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
        recorded_at=utc(row.recorded_at),
        designed_locally=row.designed_locally,
        training=_training(row.training),
    )


def _training(stored: dict[str, Any] | None) -> Training | None:
    if stored is None:
        return None
    return Training(
        curriculum=tuple(stored["curriculum"]),
        trainers=tuple(stored["trainers"]),
        follow_up_months=tuple(stored["follow_up_months"]),
    )
