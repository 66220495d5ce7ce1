"""Every SQL query on lessons: the lessons read model, the deliveries, the owned responses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.tables import DeliveryRow, LessonResponseRow, LessonRow
from multitrack_engagements.domain.lessons import Delivery, Lesson, ResponseToLesson
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.matching import LessonScope
from multitrack_shared.times import utc

SCOPE_DIMENSIONS = (
    "countries",
    "regions",
    "conflict_types",
    "phases",
    "tracks",
    "methods",
    "peacebuilding_kinds",
    "rpp_quadrants",
    "conflict_ids",
)


class SqlLessonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, lesson_id: str) -> Lesson | None:
        row = await self._session.get(LessonRow, lesson_id)
        return to_lesson(row) if row else None

    async def save(self, lesson: Lesson) -> None:
        fields: dict[str, Any] = {
            "revision": lesson.revision,
            "statement": lesson.statement,
            "confidence": lesson.confidence,
            "context": {d: sorted(getattr(lesson.scope, d)) for d in SCOPE_DIMENSIONS},
            "recorded_at": lesson.recorded_at,
            "active": lesson.active,
            "owner_org": lesson.owner_org,
            "visibility": lesson.visibility,
        }
        row = await self._session.get(LessonRow, lesson.lesson_id)
        if row is None:
            self._session.add(LessonRow(lesson_id=lesson.lesson_id, **fields))
            return
        for name, value in fields.items():
            setattr(row, name, value)

    async def candidates(self, engagement_id: str) -> list[Lesson]:
        responded = select(LessonResponseRow.lesson_id).where(
            LessonResponseRow.engagement_id == engagement_id
        )
        query = (
            select(LessonRow)
            .where(or_(col(LessonRow.active), col(LessonRow.lesson_id).in_(responded)))
            .order_by(col(LessonRow.lesson_id))
        )
        return [to_lesson(row) for row in (await self._session.exec(query)).all()]


def to_lesson(row: LessonRow) -> Lesson:
    return Lesson(
        lesson_id=row.lesson_id,
        revision=row.revision,
        statement=row.statement,
        confidence=row.confidence,
        scope=LessonScope.of(**{d: row.context.get(d, ()) for d in SCOPE_DIMENSIONS}),
        recorded_at=utc(row.recorded_at),
        active=row.active,
        owner_org=row.owner_org,
        visibility=row.visibility,
    )


class SqlDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, engagement_id: str, lesson_id: str) -> Delivery | None:
        row = await self._session.get(DeliveryRow, (engagement_id, lesson_id))
        return to_delivery(row) if row else None

    async def of_engagement(self, engagement_id: str, scope: Scope) -> list[Delivery]:
        query = (
            select(DeliveryRow)
            .join(LessonRow, col(LessonRow.lesson_id) == col(DeliveryRow.lesson_id))
            .where(
                DeliveryRow.engagement_id == engagement_id,
                visible_to(scope, col(LessonRow.owner_org), col(LessonRow.visibility)),
            )
        )
        return [to_delivery(row) for row in (await self._session.exec(query)).all()]

    async def replace_all(self, engagement_id: str, deliveries: Sequence[Delivery]) -> None:
        await self._session.exec(
            delete(DeliveryRow).where(col(DeliveryRow.engagement_id) == engagement_id)
        )
        await self.add_all(deliveries)

    async def replace_of_lesson(self, lesson_id: str, deliveries: Sequence[Delivery]) -> None:
        # One DELETE and one multi-row INSERT however many engagements the lesson reaches:
        # a lesson fans out to every matching engagement in the transaction that applies it.
        await self._session.exec(delete(DeliveryRow).where(col(DeliveryRow.lesson_id) == lesson_id))
        await self.add_all(deliveries)

    async def add_all(self, deliveries: Sequence[Delivery]) -> None:
        if deliveries:
            rows = [_delivery_fields(d) for d in deliveries]
            await self._session.exec(insert(DeliveryRow), params=rows)


def _delivery_fields(delivery: Delivery) -> dict[str, Any]:
    return {**asdict(delivery), "reasons": list(delivery.reasons)}


def to_delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        **{
            **row.model_dump(),
            "reasons": tuple(row.reasons),
            "recorded_at": utc(row.recorded_at),
        }
    )


class SqlResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, response: ResponseToLesson) -> None:
        self._session.add(LessonResponseRow(**asdict(response)))

    async def get(self, engagement_id: str, lesson_id: str) -> ResponseToLesson | None:
        row = await self._session.get(LessonResponseRow, (engagement_id, lesson_id))
        return to_response(row) if row else None

    async def of_engagement(self, engagement_id: str) -> Mapping[str, ResponseToLesson]:
        query = select(LessonResponseRow).where(LessonResponseRow.engagement_id == engagement_id)
        return {row.lesson_id: to_response(row) for row in (await self._session.exec(query)).all()}

    async def engagements_responding_to(self, lesson_id: str) -> set[str]:
        query = select(LessonResponseRow.engagement_id).where(
            LessonResponseRow.lesson_id == lesson_id
        )
        return set((await self._session.exec(query)).all())


def to_response(row: LessonResponseRow) -> ResponseToLesson:
    return ResponseToLesson(
        engagement_id=row.engagement_id,
        lesson_id=row.lesson_id,
        response=LessonResponse(row.response),
        why=row.why,
        revision=row.revision,
        responded_at=utc(row.responded_at),
    )
