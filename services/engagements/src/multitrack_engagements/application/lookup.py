"""Reading an engagement the use cases act on, and its listening summary."""

from __future__ import annotations

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.listening import ListeningSummary, summarize
from multitrack_shared.errors import found
from multitrack_shared.versioning import ANY_VERSION, Precondition


async def require_engagement(
    uow: EngagementsUoW, engagement_id: str, precondition: Precondition = ANY_VERSION
) -> Engagement:
    """The engagement, still at a version ``precondition`` allows; else 404 or 412."""
    engagement = found(
        await uow.engagements.get(engagement_id),
        f"no engagement {engagement_id}",
        field="engagement_id",
    )
    precondition.check(engagement.id, engagement.version)
    return engagement


async def listening_summary(uow: EngagementsUoW, engagement_id: str) -> ListeningSummary:
    analysis = await uow.analyses.latest(engagement_id)
    entries = await uow.listening.of_engagement(engagement_id)
    return summarize(analysis.sides if analysis else None, [e.side for e in entries])
