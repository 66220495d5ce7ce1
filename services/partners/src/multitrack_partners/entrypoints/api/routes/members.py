"""HTTP routes of /members: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_partners.application import members as handlers
from multitrack_partners.entrypoints.api.deps import ReaderDep, UowDep
from multitrack_partners.entrypoints.api.schemas.members import MemberCreate, MemberPublic
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, tag, tagged
from multitrack_shared.validation import RecordId, ShortCode

router = APIRouter(prefix="/members", tags=["members"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="An organization joins the consortium",
    description="Consortium admins only. Publishes `multitrack.member.joined.v1`. 409 if a "
    "member of that name, or acting as that organization, exists. A member's IATI identity "
    "lets its engagements report to donors in IATI.",
    responses=tagged(status.HTTP_201_CREATED),
)
async def join(
    body: MemberCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> MemberPublic:
    cmd = handlers.JoinConsortium(
        name=body.name, roles=tuple(body.roles), joined_on=body.joined_on, identity=body.identity
    )
    member = await handlers.join_consortium(cmd, caller, uow, clock)
    tag(response, member.id, member.version)
    return MemberPublic.of(member)


@router.get("", summary="List the consortium's members, by name")
async def search(
    _caller: ReaderDep,
    uow: UowDep,
    role: Annotated[ShortCode | None, Query(description="Only members with this role.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[MemberPublic]:
    return [MemberPublic.of(m) for m in await handlers.list_members(role, limit, offset, uow)]


@router.get("/{member_id}", summary="Read one member", responses=TAGGED)
async def read(
    member_id: RecordId, _caller: ReaderDep, uow: UowDep, response: Response
) -> MemberPublic:
    member = await handlers.get_member(member_id, uow)
    tag(response, member.id, member.version)
    return MemberPublic.of(member)
