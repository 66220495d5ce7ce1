"""Every SQL query of the lessons read model."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_invitations.adapters.tables import LessonRow
from multitrack_invitations.domain.lessons import Lesson, Wording
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlLessonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, lesson_id: str) -> Lesson | None:
        row = await self._session.get(LessonRow, lesson_id)
        return _to_domain(row) if row else None

    async def put(self, lesson: Lesson) -> None:
        """Insert or overwrite the row of ``lesson.lesson_id``."""
        row = await self._session.get(LessonRow, lesson.lesson_id)
        if row is None:
            row = LessonRow(lesson_id=lesson.lesson_id, revision=0, active=False, visibility="")
            self._session.add(row)
        wording = lesson.wording
        row.revision = lesson.revision
        row.active = lesson.active
        row.owner_org = lesson.owner_org
        row.visibility = lesson.visibility
        row.statement = wording.statement if wording else None
        row.confidence = wording.confidence if wording else None
        row.context = {k: list(v) for k, v in wording.context.items()} if wording else None
        row.recorded_at = lesson.recorded_at
        row.revised_at = lesson.revised_at
        row.retired_at = lesson.retired_at

    async def active(self, scope: Scope) -> list[Lesson]:
        query = (
            select(LessonRow)
            .where(col(LessonRow.active))
            .where(visible_to(scope, col(LessonRow.owner_org), col(LessonRow.visibility)))
            .order_by(col(LessonRow.lesson_id))
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _to_domain(row: LessonRow) -> Lesson:
    has_wording = row.statement is not None and row.context is not None
    wording = (
        Wording(
            statement=row.statement or "",
            confidence=row.confidence or "",
            context=row.context or {},
        )
        if has_wording
        else None
    )
    return Lesson(
        lesson_id=row.lesson_id,
        revision=row.revision,
        wording=wording,
        owner_org=row.owner_org,
        visibility=row.visibility,
        recorded_at=utc(row.recorded_at),
        revised_at=utc(row.revised_at),
        retired_at=utc(row.retired_at),
    )
