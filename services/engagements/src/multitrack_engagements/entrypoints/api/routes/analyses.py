"""The conflict analysis, versioned."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_engagements.application import analyses as handlers
from multitrack_engagements.domain.analysis import Actor
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.analyses import (
    AnalysisCreate,
    AnalysisPublic,
    analyses_shown,
)
from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import VersionNumber
from multitrack_shared.http.versions import TAGGED, tag
from multitrack_shared.validation import RecordId
from multitrack_shared.versioning import FIRST_VERSION

router = APIRouter(
    prefix="/engagements", tags=["analysis and listening"], responses=ERROR_RESPONSES
)


@router.post(
    "/{engagement_id}/analyses",
    status_code=status.HTTP_201_CREATED,
    summary="Record a new version of the conflict analysis (the engagement's coordinators)",
)
async def record_analysis(
    engagement_id: RecordId,
    body: AnalysisCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
) -> AnalysisPublic:
    cmd = handlers.RecordAnalysis(
        engagement_id=engagement_id,
        analysed_on=body.analysed_on,
        participants=tuple(body.participants),
        actors=tuple(Actor(a.name, a.side, a.track, a.role) for a in body.actors),
        causes=tuple(body.causes),
        dividers=tuple(body.dividers),
        connectors=tuple(body.connectors),
    )
    return AnalysisPublic.of(await handlers.record_analysis(cmd, caller, uow, clock))


@router.get("/{engagement_id}/analyses", summary="Every version of the conflict analysis")
async def list_analyses(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[AnalysisPublic]:
    return analyses_shown(await handlers.list_analyses(engagement_id, caller, uow))


@router.get(
    "/{engagement_id}/analyses/{version}",
    summary="One version of the conflict analysis",
    responses=TAGGED,
)
async def read_analysis(
    engagement_id: RecordId,
    version: VersionNumber,
    caller: CallerDep,
    uow: UowDep,
    response: Response,
) -> AnalysisPublic:
    shown = await handlers.get_analysis(engagement_id, version, caller, uow)
    # A version of the analysis is never edited: the record stays at its first version.
    tag(response, f"{engagement_id}/analyses/{shown.records.version}", FIRST_VERSION)
    return withhold_personal(AnalysisPublic.of(shown.records), may_see_personal=shown.personal)
