"""The engagement's nine-track coverage, with the gaps named in the consortium's words."""

from __future__ import annotations

from multitrack_engagements.application.lookup import readable_engagement
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.coverage import Coverage, nine_track_coverage, track_labels
from multitrack_engagements.domain.engagement import Engagement
from multitrack_shared.auth.principal import Principal


async def coverage(engagement_id: str, caller: Principal, uow: EngagementsUoW) -> Coverage:
    """Counts and partner organizations only: nothing in it is personal."""
    async with uow:
        return await coverage_of(await readable_engagement(uow, engagement_id, caller), uow)


async def coverage_of(engagement: Engagement, uow: EngagementsUoW) -> Coverage:
    """The coverage of an engagement already read, inside the caller's open unit of work."""
    facts = await uow.facts.of(engagement)
    labels = track_labels(await uow.track_labels.active_labels())
    return nine_track_coverage(facts, labels)
