"""Every SQL query on the activity read models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case
from sqlmodel import col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.repositories.engagements import covered
from multitrack_partners.adapters.tables import ActivityParticipantsRow, ActivityRow
from multitrack_partners.application.ports import Coverage
from multitrack_partners.domain.activity import ActivityFacts, Tally


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, activity: ActivityFacts) -> None:
        """Insert or replace the activity and its counts, keyed by the activity's id."""
        fields: dict[str, Any] = {
            "engagement_id": activity.engagement_id,
            "held_on": activity.held_on,
            "led_locally": activity.led_locally,
            "tracks": list(activity.tracks),
        }
        row = await self._session.get(ActivityRow, activity.activity_id)
        if row is None:
            row = ActivityRow(activity_id=activity.activity_id, **fields)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
        self._session.add(row)
        await self._session.exec(
            delete(ActivityParticipantsRow).where(
                col(ActivityParticipantsRow.activity_id) == activity.activity_id
            )
        )
        self._session.add_all(
            ActivityParticipantsRow(
                activity_id=activity.activity_id,
                engagement_id=activity.engagement_id,
                sex=t.sex,
                role=t.role,
                count=t.count,
            )
            for t in activity.participants
        )

    async def tracks_of(self, engagement_id: str) -> set[int]:
        query = select(ActivityRow.tracks).where(ActivityRow.engagement_id == engagement_id)
        return {track for tracks in (await self._session.exec(query)).all() for track in tracks}

    async def led_locally(self, coverage: Coverage) -> tuple[int, int]:
        """(activities, activities led locally) of the engagements covered."""
        query = select(
            func.count(),
            func.coalesce(func.sum(case((col(ActivityRow.led_locally), 1), else_=0)), 0),
        ).where(col(ActivityRow.engagement_id).in_(covered(coverage)))
        total, led = (await self._session.exec(query)).one()
        return int(total), int(led)

    async def tallies(self, coverage: Coverage) -> list[Tally]:
        """Participants by sex × role in the engagements covered."""
        people = ActivityParticipantsRow
        query = (
            select(people.sex, people.role, func.sum(people.count))
            .where(col(people.engagement_id).in_(covered(coverage)))
            .group_by(col(people.sex), col(people.role))
        )
        return [Tally(sex, role, int(n)) for sex, role, n in (await self._session.exec(query))]
