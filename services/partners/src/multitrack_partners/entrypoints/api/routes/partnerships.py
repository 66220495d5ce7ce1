"""HTTP routes of /partnerships: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_partners.application import partnerships as handlers
from multitrack_partners.application.ports import PartnershipFilter
from multitrack_partners.domain.partnership import Partnership
from multitrack_partners.entrypoints.api.deps import ReaderDep, UowDep
from multitrack_partners.entrypoints.api.schemas.partnerships import (
    PartnershipCreate,
    PartnershipEnd,
    PartnershipPublic,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/partnerships", tags=["partnerships"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="A partner takes a role on an engagement",
    description="Coordinators of the organization that owns the engagement only. Publishes "
    "`multitrack.partnership.formed.v1`, with the partner's name, tracks, locality and women's "
    "leadership.",
    responses=tagged(status.HTTP_201_CREATED),
)
async def form(
    body: PartnershipCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    response: Response,
) -> PartnershipPublic:
    cmd = handlers.FormPartnership(
        partner_id=body.partner_id,
        engagement_id=body.engagement_id,
        role=body.role,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    return _tagged(response, await handlers.form_partnership(cmd, caller, uow, clock))


@router.get(
    "",
    summary="Search partnerships, by engagement or partner",
    description="Partnerships on the engagements the caller may see.",
)
async def search(
    caller: ReaderDep,
    uow: UowDep,
    engagement_id: RecordId | None = None,
    partner_id: RecordId | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[PartnershipPublic]:
    where = PartnershipFilter(
        engagement_id=engagement_id, partner_id=partner_id, limit=limit, offset=offset
    )
    found = await handlers.search_partnerships(where, caller, uow)
    return [PartnershipPublic.of(p) for p in found]


@router.get(
    "/{partnership_id}",
    summary="Read one partnership",
    description="404 for a partnership that does not exist and for one on an engagement the "
    "caller may not see alike.",
    responses=TAGGED,
)
async def read(
    partnership_id: RecordId, caller: ReaderDep, uow: UowDep, response: Response
) -> PartnershipPublic:
    return _tagged(response, await handlers.get_partnership(partnership_id, caller, uow))


@router.post(
    "/{partnership_id}/end",
    summary="End a partnership on its last day",
    description="Coordinators of the organization that owns the engagement only. Publishes "
    "`multitrack.partnership.ended.v1`. 409 if it already ended.",
    responses=TAGGED,
)
async def end(
    partnership_id: RecordId,
    body: PartnershipEnd,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> PartnershipPublic:
    cmd = handlers.EndPartnership(
        partnership_id=partnership_id, ends_on=body.ends_on, precondition=if_match
    )
    return _tagged(response, await handlers.end_partnership(cmd, caller, uow, clock))


def _tagged(response: Response, partnership: Partnership) -> PartnershipPublic:
    tag(response, partnership.id, partnership.version)
    return PartnershipPublic.of(partnership)
