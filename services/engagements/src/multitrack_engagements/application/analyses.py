"""Use cases on the conflict analysis: a new version each time, never an edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.analysis import Actor, ConflictAnalysis
from multitrack_engagements.domain.engagement import Engagement
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import found
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class RecordAnalysis:
    engagement_id: str
    analysed_on: date
    participants: tuple[str, ...]
    actors: tuple[Actor, ...]
    causes: tuple[str, ...]
    dividers: tuple[str, ...]
    connectors: tuple[str, ...]


async def record_analysis(
    cmd: RecordAnalysis, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> ConflictAnalysis:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("record a conflict analysis")
        latest = await uow.analyses.latest(engagement.id)
        analysis = ConflictAnalysis.next_version(
            engagement_id=engagement.id,
            latest_version=latest.version if latest else None,
            analysed_on=cmd.analysed_on,
            participants=cmd.participants,
            actors=cmd.actors,
            causes=cmd.causes,
            dividers=cmd.dividers,
            connectors=cmd.connectors,
            recorded_at=clock(),
        )
        await uow.analyses.add(analysis)
        uow.publish(
            events.ConflictAnalysisRecorded(
                engagement_id=engagement.id,
                version=analysis.version,
                sides=analysis.sides,
                actor_tracks=sorted(set(analysis.actor_tracks)),
                actors_by_role=analysis.actors_by_role,
                dividers=len(analysis.dividers),
                connectors=len(analysis.connectors),
                analysed_on=analysis.analysed_on,
            )
        )
        await refresh_engagement(uow, engagement)
        await uow.commit()
    return analysis


async def list_analyses(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[ConflictAnalysis]]:
    async with uow:
        return await analyses_of(await readable_engagement(uow, engagement_id, caller), caller, uow)


async def analyses_of(
    engagement: Engagement, caller: Principal, uow: EngagementsUoW
) -> Shown[list[ConflictAnalysis]]:
    """Every analysis version of an engagement already read, inside the caller's open unit."""
    return shown(await uow.analyses.of_engagement(engagement.id), engagement, caller)


async def get_analysis(
    engagement_id: str, version: int, caller: Principal, uow: EngagementsUoW
) -> Shown[ConflictAnalysis]:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        analysis = await uow.analyses.get(engagement_id, version)
    return shown(
        found(analysis, f"no analysis version {version}", field="version"), engagement, caller
    )
