"""Reading an engagement the use cases act on, and its listening summary."""

from __future__ import annotations

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.listening import ListeningSummary, summarize
from multitrack_shared.errors import found


async def require_engagement(uow: EngagementsUoW, engagement_id: str) -> Engagement:
    engagement = await uow.engagements.get(engagement_id)
    return found(engagement, f"no engagement {engagement_id}", field="engagement_id")


async def listening_summary(uow: EngagementsUoW, engagement_id: str) -> ListeningSummary:
    analysis = await uow.analyses.latest(engagement_id)
    entries = await uow.listening.of_engagement(engagement_id)
    return summarize(analysis.sides if analysis else None, [e.side for e in entries])
