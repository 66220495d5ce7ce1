"""HTTP routes of /partners: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_partners.application import partners as handlers
from multitrack_partners.application.ports import PartnerFilter
from multitrack_partners.entrypoints.api.deps import UowDep
from multitrack_partners.entrypoints.api.schemas.partners import (
    PartnerCreate,
    PartnerPublic,
    PartnerUpdate,
)
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
    responses=tagged(status.HTTP_201_CREATED),
)
async def register(
    body: PartnerCreate, uow: UowDep, clock: ClockDep, response: Response
) -> PartnerPublic:
    cmd = handlers.RegisterPartner(
        owner_org=body.owner_org,
        visibility=body.visibility.value,
        profile=body.profile(),
        contact_people=body.contacts(),
    )
    partner = await handlers.register_partner(cmd, uow, clock)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner)


@router.get("", summary="Search partner organizations")
async def search(
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
    return [PartnerPublic.of(p) for p in await handlers.search_partners(where, uow)]


@router.get("/{partner_id}", summary="Read one partner organization", responses=TAGGED)
async def read(partner_id: RecordId, uow: UowDep, response: Response) -> PartnerPublic:
    partner = await handlers.get_partner(partner_id, uow)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner)


@router.put(
    "/{partner_id}",
    summary="Replace a partner's public profile and contact people",
    description="Publishes `multitrack.partner.updated.v1` when the public profile changed; "
    "a change of contact people alone is private and publishes nothing.",
    responses=TAGGED,
)
async def revise(
    partner_id: RecordId,
    body: PartnerUpdate,
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
    partner = await handlers.revise_partner(cmd, uow, clock)
    tag(response, partner.id, partner.version)
    return PartnerPublic.of(partner)
