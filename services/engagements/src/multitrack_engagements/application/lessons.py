"""Lessons learned as the engagement meets them: the inbox, the briefing, and the engagement's
response, which it owns and publishes back (the lessons themselves arrive in ``projections``).

An owner-only lesson reaches only its owner's engagements (``domain.lessons.delivery_of``), and
a caller reading an engagement's inbox or briefing sees only the lessons it may read itself. A
response's reasoning may name people: it is the engagement's organization's (a lesson's evidence
never reaches this service).
"""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.lessons import (
    Delivery,
    ResponseToLesson,
    in_briefing,
    ranked,
    respond,
)
from multitrack_shared.auth.policy import scope_of
from multitrack_shared.auth.principal import Principal
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


async def lesson_inbox(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[InboxItem]]:
    async with uow:
        return await inbox_of(await readable_engagement(uow, engagement_id, caller), caller, uow)


async def inbox_of(
    engagement: Engagement, caller: Principal, uow: EngagementsUoW
) -> Shown[list[InboxItem]]:
    """The lessons inbox of an engagement already read, as the caller may see it (owner-only
    lessons of other organizations left out), inside the caller's open unit of work."""
    deliveries = await uow.deliveries.of_engagement(engagement.id, scope_of(caller))
    return shown(await _items(uow, engagement.id, deliveries), engagement, caller)


async def briefing(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[InboxItem]]:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        deliveries = await uow.deliveries.of_engagement(engagement_id, scope_of(caller))
        opening = [d for d in deliveries if in_briefing(d, engagement.opened_at)]
        items = await _items(uow, engagement_id, opening)
    return shown(items, engagement, caller)


async def respond_to_lesson(
    cmd: RespondToLesson, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> InboxItem:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
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


async def _items(
    uow: EngagementsUoW, engagement_id: str, deliveries: list[Delivery]
) -> list[InboxItem]:
    """The deliveries ranked, each with the engagement's response to it."""
    responses = await uow.responses.of_engagement(engagement_id)
    return [InboxItem(d, responses.get(d.lesson_id)) for d in ranked(deliveries)]
