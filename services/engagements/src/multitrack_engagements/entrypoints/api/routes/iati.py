"""Engagements as IATI 2.03 activities: the consortium's donor reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from multitrack_engagements.application import iati as handlers
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.iati import (
    MEDIA_TYPE,
    OPENAPI_RESPONSE,
    activities_document,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId, ShortCode

router = APIRouter(tags=["IATI"], responses=ERROR_RESPONSES)


@router.get(
    "/engagements/{engagement_id}/iati",
    summary="The engagement as an IATI 2.03 activity",
    response_class=Response,
    responses=OPENAPI_RESPONSE,
)
async def engagement_as_iati(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep, clock: ClockDep
) -> Response:
    """An `iati-activities` document of one `iati-activity`, valid against the IATI 2.03
    schema: identifiers, title and description, participating organizations with their roles
    (funding, accountable, extending, implementing), status and dates, recipient country and
    the conflict's region, sector, the tracks covered (tag vocabulary 99), budget lines,
    funding as incoming commitments, and participants per year by sex. Nothing personal. The
    owning member needs an IATI organisation identifier (409 `reporting_org_unknown`)."""
    activity = await handlers.iati_of_engagement(engagement_id, caller, uow)
    return Response(activities_document([activity], clock()), media_type=MEDIA_TYPE)


@router.get(
    "/iati/activities.xml",
    summary="An organization's shared engagements as IATI 2.03 activities",
    response_class=Response,
    responses=OPENAPI_RESPONSE,
)
async def organization_as_iati(
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    organization: Annotated[
        ShortCode | None,
        Query(
            description="The organization whose engagements to report; the caller's own when "
            "left out (required of callers acting for none).",
            examples=["org-a"],
        ),
    ] = None,
) -> Response:
    """Every engagement the organization shares with the consortium (its owner-only ones are
    never reported), one `iati-activity` each; 404 when there is none (an IATI document holds
    at least one activity)."""
    activities = await handlers.iati_of_organization(organization, caller, uow)
    return Response(activities_document(activities, clock()), media_type=MEDIA_TYPE)
