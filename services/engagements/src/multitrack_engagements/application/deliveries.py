"""Keeping ``lesson_deliveries`` equal to what ``domain.lessons.delivery_of`` says.

Recomputed for every engagement when a lesson arrives or changes, and for one engagement
whenever what is known about it changes (opening, analysis, listening, activity, partnership,
closing). Each recompute reads the current state only, so the table never depends on the
order in which events arrived, and a replay rebuilds it exactly.
"""

from __future__ import annotations

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.lessons import Delivery, Lesson, delivery_of


async def refresh_engagement(uow: EngagementsUoW, engagement: Engagement) -> None:
    facts = await uow.facts.of(engagement)
    responded = await uow.responses.of_engagement(engagement.id)
    deliveries: list[Delivery] = []
    for lesson in await uow.lessons.candidates(engagement.id):
        delivery = delivery_of(lesson, facts, responded=lesson.lesson_id in responded)
        if delivery is not None:
            deliveries.append(delivery)
    await uow.deliveries.replace_all(engagement.id, deliveries)


async def refresh_lesson(uow: EngagementsUoW, lesson: Lesson) -> None:
    responding = await uow.responses.engagements_responding_to(lesson.lesson_id)
    for facts in await uow.facts.of_all():
        engagement_id = facts.engagement.id
        delivery = delivery_of(lesson, facts, responded=engagement_id in responding)
        await uow.deliveries.put(engagement_id, lesson.lesson_id, delivery)
