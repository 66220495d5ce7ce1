"""Keeping ``lesson_deliveries`` equal to what ``domain.lessons.delivery_of`` says.

Recomputed for every engagement when a lesson arrives or changes, and for one engagement
whenever what is known about it changes (opening, analysis, listening, activity, partnership,
closing). Each recompute reads the current state only, so the table never depends on the
order in which events arrived, and a replay rebuilds it exactly.

A lesson fans out to every engagement in a constant number of statements, not a few per
engagement: where each engagement works, whose it is and whether it is closed, read at once;
the facts of those it may reach (``domain.lessons.may_reach``) and of those that responded to
it, read at once; the lesson's deliveries replaced at once. The transaction that applies it is
what the lessons loop waits for, and most engagements are elsewhere.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.facts import EngagementFacts
from multitrack_engagements.domain.lessons import Delivery, Lesson, delivery_of, may_reach


async def refresh_engagement(uow: EngagementsUoW, engagement: Engagement) -> None:
    facts = await uow.facts.of(engagement)
    responded = await uow.responses.of_engagement(engagement.id)
    lessons = await uow.lessons.candidates(engagement.id)
    await uow.deliveries.replace_all(
        engagement.id, _deliveries_to(lessons, facts, responded=responded)
    )


async def deliver_to_opened(uow: EngagementsUoW, engagement: Engagement) -> None:
    """The first deliveries of an engagement opened in this transaction: what
    ``refresh_engagement`` would store, without reading what cannot exist yet (its own
    records, its responses, deliveries to it)."""
    facts = await uow.facts.of_opened(engagement)
    lessons = await uow.lessons.candidates(engagement.id)
    await uow.deliveries.add_all(_deliveries_to(lessons, facts, responded=()))


async def refresh_lesson(uow: EngagementsUoW, lesson: Lesson) -> None:
    responding = await uow.responses.engagements_responding_to(lesson.lesson_id)
    reachable = [w.engagement_id for w in await uow.facts.whereabouts() if may_reach(lesson, w)]
    deliveries: list[Delivery] = []
    for facts in await uow.facts.of_ids({*reachable, *responding}):
        delivery = delivery_of(lesson, facts, responded=facts.engagement.id in responding)
        if delivery is not None:
            deliveries.append(delivery)
    await uow.deliveries.replace_of_lesson(lesson.lesson_id, deliveries)


def _deliveries_to(
    lessons: Iterable[Lesson], facts: EngagementFacts, *, responded: Container[str]
) -> list[Delivery]:
    found = (delivery_of(x, facts, responded=x.lesson_id in responded) for x in lessons)
    return [delivery for delivery in found if delivery is not None]
