"""Every SQL query on lessons and on the responses engagements gave them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import (
    DigestEngagementRow,
    LessonCountryRow,
    LessonResponseRow,
    LessonRow,
    LessonTrackRow,
)
from multitrack_evaluation.application.ports import LessonFilter
from multitrack_evaluation.domain.lessons import Lesson, LessonContext, Response
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.vocabulary import (
    Confidence,
    DacCriterion,
    LessonResponse,
    RppQuadrant,
)
from multitrack_shared.times import utc


class SqlLessonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, lesson: Lesson) -> None:
        self._session.add(LessonRow(id=lesson.id, **_row_fields(lesson)))
        # The index rows point at the lesson row: it must be written first.
        await self._session.flush()
        self._index(lesson)

    async def get(self, lesson_id: str) -> Lesson | None:
        row = await self._session.get(LessonRow, lesson_id)
        return _to_domain(row) if row else None

    async def save(self, lesson: Lesson) -> None:
        await save_versioned(self._session, LessonRow, lesson.id, lesson, _row_fields(lesson))
        for index in (LessonCountryRow, LessonTrackRow):
            await self._session.exec(delete(index).where(col(index.lesson_id) == lesson.id))
        self._index(lesson)

    async def search(self, where: LessonFilter) -> list[Lesson]:
        query = select(LessonRow).where(
            visible_to(where.scope, col(LessonRow.owner_org), col(LessonRow.visibility))
        )
        if where.country:
            in_country = select(LessonCountryRow.lesson_id).where(
                LessonCountryRow.country == where.country
            )
            query = query.where(col(LessonRow.id).in_(in_country))
        if where.track:
            in_track = select(LessonTrackRow.lesson_id).where(LessonTrackRow.track == where.track)
            query = query.where(col(LessonRow.id).in_(in_track))
        if where.active is not None:
            retired = col(LessonRow.retired_at)
            query = query.where(retired.is_(None) if where.active else retired.is_not(None))
        query = (
            query.order_by(col(LessonRow.recorded_at).desc(), col(LessonRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    def _index(self, lesson: Lesson) -> None:
        self._session.add_all(
            [LessonCountryRow(lesson_id=lesson.id, country=c) for c in lesson.context.countries]
            + [LessonTrackRow(lesson_id=lesson.id, track=t) for t in lesson.context.tracks]
        )


class SqlResponseRepository:
    """Read model of ``LessonResponded``: one row per (engagement, lesson), latest wins; read
    with the engagement's owner and visibility from the digest's engagements."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, lesson_id: str, response: Response) -> None:
        key = (response.engagement_id, lesson_id)
        row = await self._session.get(LessonResponseRow, key)
        if row is not None and utc(row.responded_at) > response.at:
            return  # an earlier response arriving late does not replace a later one
        await self._session.merge(
            LessonResponseRow(
                engagement_id=response.engagement_id,
                lesson_id=lesson_id,
                response=response.response.value,
                responded_at=response.at,
            )
        )

    async def for_lesson(self, lesson_id: str, scope: Scope) -> list[Response]:
        engagement = DigestEngagementRow
        query = (
            select(LessonResponseRow)
            .join(engagement, col(engagement.engagement_id) == LessonResponseRow.engagement_id)
            .where(
                LessonResponseRow.lesson_id == lesson_id,
                visible_to(scope, col(engagement.owner_org), col(engagement.visibility)),
            )
            .order_by(col(LessonResponseRow.responded_at), col(LessonResponseRow.engagement_id))
        )
        return [
            Response(
                engagement_id=row.engagement_id,
                response=LessonResponse(row.response),
                at=utc(row.responded_at),
            )
            for row in (await self._session.exec(query)).all()
        ]


def _row_fields(lesson: Lesson) -> dict[str, Any]:
    return {
        "owner_org": lesson.owner_org,
        "visibility": lesson.visibility,
        "statement": lesson.statement,
        "evidence": lesson.evidence,
        "confidence": lesson.confidence.value,
        "context": asdict(lesson.context),
        "source_engagement_id": lesson.source_engagement_id,
        "recorded_at": lesson.recorded_at,
        "revision": lesson.revision,
        "revised_at": lesson.revised_at,
        "retired_reason": lesson.retired_reason,
        "retired_at": lesson.retired_at,
    }


def _to_domain(row: LessonRow) -> Lesson:
    return Lesson(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        statement=row.statement,
        evidence=row.evidence,
        confidence=Confidence(row.confidence),
        context=_context(row.context),
        recorded_at=utc(row.recorded_at),
        source_engagement_id=row.source_engagement_id,
        revision=row.revision,
        revised_at=utc(row.revised_at),
        retired_reason=row.retired_reason,
        retired_at=utc(row.retired_at),
        version=row.version,
    )


def _context(data: dict[str, Any]) -> LessonContext:
    return LessonContext(
        countries=list(data.get("countries", [])),
        regions=list(data.get("regions", [])),
        conflict_types=list(data.get("conflict_types", [])),
        phases=list(data.get("phases", [])),
        tracks=list(data.get("tracks", [])),
        methods=list(data.get("methods", [])),
        peacebuilding_kinds=list(data.get("peacebuilding_kinds", [])),
        rpp_quadrants=[RppQuadrant(q) for q in data.get("rpp_quadrants", [])],
        dac_criteria=[DacCriterion(c) for c in data.get("dac_criteria", [])],
        conflict_ids=list(data.get("conflict_ids", [])),
    )
