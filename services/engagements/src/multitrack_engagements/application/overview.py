"""The engagement page in one read: the engagement, its coverage, activities, listening ledger,
analysis versions and lessons inbox, each built by the same use case its own endpoint calls,
with one access check and on one transaction (so the parts agree with each other)."""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_engagements.application.activities import activities_of
from multitrack_engagements.application.analyses import analyses_of
from multitrack_engagements.application.coverage import coverage_of
from multitrack_engagements.application.engagements import EngagementView, view_of
from multitrack_engagements.application.lessons import InboxItem, inbox_of
from multitrack_engagements.application.listening import ListeningLedger, ledger_of
from multitrack_engagements.application.lookup import Shown, readable_engagement
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.activities import Activity
from multitrack_engagements.domain.analysis import ConflictAnalysis
from multitrack_engagements.domain.coverage import Coverage
from multitrack_shared.auth.principal import Principal
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class Overview:
    engagement: EngagementView
    coverage: Coverage
    activities: Shown[list[Activity]]
    listening: Shown[ListeningLedger]
    analyses: Shown[list[ConflictAnalysis]]
    lessons: Shown[list[InboxItem]]


async def engagement_overview(
    engagement_id: str, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> Overview:
    """404 for a missing or hidden engagement, as each part's own read answers."""
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        return Overview(
            engagement=view_of(engagement, caller, clock),
            coverage=await coverage_of(engagement, uow),
            activities=await activities_of(engagement, caller, uow),
            listening=await ledger_of(engagement, caller, uow),
            analyses=await analyses_of(engagement, caller, uow),
            lessons=await inbox_of(engagement, caller, uow),
        )
