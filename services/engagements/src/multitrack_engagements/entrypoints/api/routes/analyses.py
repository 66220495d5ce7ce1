"""The conflict analysis (versioned) and the listening ledger."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_engagements.application import analyses, listening
from multitrack_engagements.domain.analysis import Actor
from multitrack_engagements.entrypoints.api.deps import ClockDep, UowDep
from multitrack_engagements.entrypoints.api.schemas.analyses import (
    AnalysisCreate,
    AnalysisPublic,
    HeardCreate,
    HeardPublic,
    ListeningPublic,
)
from multitrack_shared.http.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/engagements", tags=["analysis and listening"], responses=ERROR_RESPONSES
)


@router.post(
    "/{engagement_id}/analyses",
    status_code=status.HTTP_201_CREATED,
    summary="Record a new version of the conflict analysis",
)
async def record_analysis(
    engagement_id: str, body: AnalysisCreate, uow: UowDep, clock: ClockDep
) -> AnalysisPublic:
    cmd = analyses.RecordAnalysis(
        engagement_id=engagement_id,
        analysed_on=body.analysed_on,
        participants=tuple(body.participants),
        actors=tuple(Actor(a.name, a.side, a.track, a.role) for a in body.actors),
        causes=tuple(body.causes),
        dividers=tuple(body.dividers),
        connectors=tuple(body.connectors),
    )
    return AnalysisPublic.of(await analyses.record_analysis(cmd, uow, clock))


@router.get("/{engagement_id}/analyses", summary="Every version of the conflict analysis")
async def list_analyses(engagement_id: str, uow: UowDep) -> list[AnalysisPublic]:
    return [AnalysisPublic.of(a) for a in await analyses.list_analyses(engagement_id, uow)]


@router.get("/{engagement_id}/analyses/{version}", summary="One version of the conflict analysis")
async def read_analysis(engagement_id: str, version: int, uow: UowDep) -> AnalysisPublic:
    return AnalysisPublic.of(await analyses.get_analysis(engagement_id, version, uow))


@router.post(
    "/{engagement_id}/listening",
    status_code=status.HTTP_201_CREATED,
    summary="Record that a party was heard",
)
async def record_heard(
    engagement_id: str, body: HeardCreate, uow: UowDep, clock: ClockDep
) -> HeardPublic:
    cmd = listening.RecordHeard(
        engagement_id=engagement_id,
        who=body.who,
        side=body.side,
        track=body.track,
        needs=tuple(body.needs),
        heard_by=body.heard_by,
        heard_on=body.heard_on,
    )
    return HeardPublic.of(await listening.record_heard(cmd, uow, clock))


@router.get(
    "/{engagement_id}/listening",
    summary="The listening ledger, with completeness and imbalance",
)
async def read_listening(engagement_id: str, uow: UowDep) -> ListeningPublic:
    return ListeningPublic.of(await listening.listening_ledger(engagement_id, uow))
