"""HTTP routes of /partners: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_partners.application import partners as handlers
from multitrack_partners.application.ports import PartnerFilter
from multitrack_partners.entrypoints.api.deps import ReaderDep, UowDep
from multitrack_partners.entrypoints.api.schemas.partners import (
    PartnerCreate,
    PartnerPublic,
    PartnerUpdate,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset, Track
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import CountryCode, RecordId

router = APIRouter(prefix="/partners", tags=["partners"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a partner organization",
    description="Coordinators only; the partner belongs to the caller's organization.",
    responses=tagged(status.HTTP_201_CREATED),
)
async def register(
    body: PartnerCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> PartnerPublic:
    cmd = handlers.RegisterPartner(
        visibility=body.visibility.value,
        profile=body.profile(),
        contact_people=body.contacts(),
    )
    partner = await handlers.register_partner(cmd, caller, uow, clock)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner, caller)


@router.get(
    "",
    summary="Search partner organizations",
    description="Consortium-visible partners and the caller's organization's own.",
)
async def search(
    caller: ReaderDep,
    uow: UowDep,
    country: CountryCode | None = None,
    track: Annotated[Track | None, Query(description="Partners working in this track.")] = None,
    is_local: bool | None = None,
    women_led: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[PartnerPublic]:
    where = PartnerFilter(
        country=country,
        track=track,
        is_local=is_local,
        women_led=women_led,
        limit=limit,
        offset=offset,
    )
    found = await handlers.search_partners(where, caller, uow)
    return [PartnerPublic.of(p, caller) for p in found]


@router.get(
    "/{partner_id}",
    summary="Read one partner organization",
    description="404 for a partner that does not exist and for another organization's "
    "owner-only partner alike.",
    responses=TAGGED,
)
async def read(
    partner_id: RecordId, caller: ReaderDep, uow: UowDep, response: Response
) -> PartnerPublic:
    partner = await handlers.get_partner(partner_id, caller, uow)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner, caller)


@router.put(
    "/{partner_id}",
    summary="Replace a partner's public profile and contact people",
    description="Coordinators of the owning organization only. Publishes "
    "`multitrack.partner.updated.v1` when the public profile changed; a change of contact "
    "people alone is private and publishes nothing.",
    responses=TAGGED,
)
async def revise(
    partner_id: RecordId,
    body: PartnerUpdate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> PartnerPublic:
    cmd = handlers.RevisePartner(
        partner_id=partner_id,
        profile=body.profile(),
        contact_people=body.contacts(),
        precondition=if_match,
    )
    partner = await handlers.revise_partner(cmd, caller, uow, clock)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner, caller)
