"""Lessons learned as the engagement meets them: the inbox, the briefing, and the engagement's
response, which it owns and publishes back (the lessons themselves arrive in ``projections``)."""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_engagements.application.lookup import require_engagement
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.lessons import (
    Delivery,
    ResponseToLesson,
    in_briefing,
    ranked,
    respond,
)
from multitrack_shared.events import engagements as events
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class InboxItem:
    delivery: Delivery
    response: ResponseToLesson | None


@dataclass(frozen=True)
class RespondToLesson:
    engagement_id: str
    lesson_id: str
    response: LessonResponse
    why: str


async def lesson_inbox(engagement_id: str, uow: EngagementsUoW) -> list[InboxItem]:
    async with uow:
        await require_engagement(uow, engagement_id)
        deliveries = await uow.deliveries.of_engagement(engagement_id)
        responses = await uow.responses.of_engagement(engagement_id)
    return [InboxItem(d, responses.get(d.lesson_id)) for d in ranked(deliveries)]


async def briefing(engagement_id: str, uow: EngagementsUoW) -> list[InboxItem]:
    async with uow:
        engagement = await require_engagement(uow, engagement_id)
        deliveries = await uow.deliveries.of_engagement(engagement_id)
        responses = await uow.responses.of_engagement(engagement_id)
    opening = [d for d in deliveries if in_briefing(d, engagement.opened_at)]
    return [InboxItem(d, responses.get(d.lesson_id)) for d in ranked(opening)]


async def respond_to_lesson(cmd: RespondToLesson, uow: EngagementsUoW, clock: Clock) -> InboxItem:
    async with uow:
        engagement = await require_engagement(uow, cmd.engagement_id)
        delivery = await uow.deliveries.get(engagement.id, cmd.lesson_id)
        response = respond(
            delivery,
            await uow.responses.get(engagement.id, cmd.lesson_id),
            lesson_id=cmd.lesson_id,
            response=cmd.response,
            why=cmd.why,
            at=clock(),
        )
        assert delivery is not None  # respond() refuses a lesson that is not delivered
        await uow.responses.add(response)
        uow.publish(
            events.LessonRespondedV2(
                engagement_id=engagement.id,
                lesson_id=response.lesson_id,
                response=response.response,
                responded_at=response.responded_at,
            )
        )
        await uow.commit()
    return InboxItem(delivery, response)
