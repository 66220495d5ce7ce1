"""Every SQL query of the evaluation service."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import LessonCountryRow, LessonRow, LessonTrackRow
from multitrack_evaluation.application.ports import LessonFilter
from multitrack_evaluation.domain.model import Confidence, Lesson, LessonContext


class SqlLessonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, lesson: Lesson) -> None:
        self._session.add(
            LessonRow(
                id=lesson.id,
                owner_org=lesson.owner_org,
                visibility=lesson.visibility,
                statement=lesson.statement,
                evidence=lesson.evidence,
                confidence=lesson.confidence.value,
                context=asdict(lesson.context),
                recorded_at=lesson.recorded_at,
            )
        )
        # The index rows point at the lesson row: it must be written first.
        await self._session.flush()
        self._session.add_all(
            [LessonCountryRow(lesson_id=lesson.id, country=c) for c in lesson.context.countries]
            + [LessonTrackRow(lesson_id=lesson.id, track=t) for t in lesson.context.tracks]
        )

    async def get(self, lesson_id: str) -> Lesson | None:
        row = await self._session.get(LessonRow, lesson_id)
        return _to_domain(row) if row else None

    async def search(self, where: LessonFilter) -> list[Lesson]:
        query = select(LessonRow)
        if where.country:
            in_country = select(LessonCountryRow.lesson_id).where(
                LessonCountryRow.country == where.country
            )
            query = query.where(col(LessonRow.id).in_(in_country))
        if where.track:
            in_track = select(LessonTrackRow.lesson_id).where(LessonTrackRow.track == where.track)
            query = query.where(col(LessonRow.id).in_(in_track))
        query = (
            query.order_by(col(LessonRow.recorded_at).desc(), col(LessonRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _to_domain(row: LessonRow) -> Lesson:
    return Lesson(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        statement=row.statement,
        evidence=row.evidence,
        confidence=Confidence(row.confidence),
        context=LessonContext(**row.context),
        recorded_at=_aware(row.recorded_at),
    )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
