"""The Do No Harm register of an engagement."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_engagements.application import do_no_harm as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.do_no_harm import (
    HarmCreate,
    HarmPublic,
    HarmReview,
)
from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.versions import TAGGED, IfMatch, tag
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/engagements", tags=["do no harm"], responses=ERROR_RESPONSES)


@router.post(
    "/{engagement_id}/harm-register",
    status_code=status.HTTP_201_CREATED,
    summary="Record an incident or a risk to participants (the engagement's coordinators)",
    responses=TAGGED,
)
async def record_harm(
    engagement_id: RecordId,
    body: HarmCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    response: Response,
) -> HarmPublic:
    """Names only the engagement's activities (`unknown_activity`) and the dividers and
    connectors of its latest analysis (`unknown_divider`, `unknown_connector`). Publishes
    `multitrack.engagement.harm_recorded.v1` (counts and codes only)."""
    cmd = handlers.RecordHarm(
        engagement_id=engagement_id,
        kind=body.kind,
        category=body.category,
        severity=body.severity,
        noted_on=body.noted_on,
        place=body.place,
        description=body.description,
        affected=tuple(a.affected() for a in body.affected),
        activity_ids=tuple(body.activity_ids),
        dividers=tuple(body.dividers),
        connectors=tuple(body.connectors),
        mitigation=body.mitigation,
    )
    entry = await handlers.record_harm(cmd, caller, uow, clock)
    tag(response, entry.id, entry.version)
    return HarmPublic.of(entry)


@router.post(
    "/{engagement_id}/harm-register/{entry_id}/review",
    summary="Record a mitigation, or close or reopen an entry (the engagement's coordinators)",
    responses=TAGGED,
)
async def review_harm(
    engagement_id: RecordId,
    entry_id: RecordId,
    body: HarmReview,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> HarmPublic:
    """Publishes `multitrack.engagement.harm_reviewed.v1`."""
    cmd = handlers.ReviewHarm(engagement_id, entry_id, body.mitigation, body.status, if_match)
    entry = await handlers.review_harm(cmd, caller, uow, clock)
    tag(response, entry.id, entry.version)
    return HarmPublic.of(entry)


@router.get("/{engagement_id}/harm-register", summary="The Do No Harm register")
async def list_harm(engagement_id: RecordId, caller: CallerDep, uow: UowDep) -> list[HarmPublic]:
    shown = await handlers.list_harm(engagement_id, caller, uow)
    return [
        withhold_personal(HarmPublic.of(e), may_see_personal=shown.personal) for e in shown.records
    ]
