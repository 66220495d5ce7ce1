"""HTTP routes: parse, call one use case, shape the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from multitrack_invitations.application import handlers
from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.model import (
    ConflictDescription,
    CriterionVerdict,
    Inviter,
    Status,
)
from multitrack_invitations.entrypoints.api.deps import ClockDep, UowDep
from multitrack_invitations.entrypoints.api.schemas import (
    AssessmentCreate,
    DecisionCreate,
    InvitationCreate,
    InvitationPublic,
    WithdrawalCreate,
)
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import CountryCode

router = APIRouter(prefix="/invitations", tags=["invitations"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Receive an invitation")
async def receive(body: InvitationCreate, uow: UowDep, clock: ClockDep) -> InvitationPublic:
    cmd = handlers.ReceiveInvitation(
        owner_org=body.owner_org,
        visibility=body.visibility.value,
        inviter=Inviter(**body.inviter.model_dump()),
        conflict=ConflictDescription(**body.conflict.model_dump()),
        support_requested=body.support_requested,
        channel=body.channel,
        other_parties_aware=body.other_parties_aware,
    )
    return InvitationPublic.of(await handlers.receive_invitation(cmd, uow, clock))


@router.get("", summary="Search invitations")
async def search(
    uow: UowDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    country: CountryCode | None = None,
    track: Annotated[int | None, Query(ge=1, le=9)] = None,
    owner_org: str | None = None,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[InvitationPublic]:
    where = InvitationFilter(
        status=status_.value if status_ else None,
        country=country,
        track=track,
        owner_org=owner_org,
        received_from=received_from,
        received_to=received_to,
        limit=limit,
        offset=offset,
    )
    return [InvitationPublic.of(i) for i in await handlers.search_invitations(where, uow)]


@router.get("/{invitation_id}", summary="Read one invitation")
async def read(invitation_id: str, uow: UowDep) -> InvitationPublic:
    return InvitationPublic.of(await handlers.get_invitation(invitation_id, uow))


@router.put("/{invitation_id}/assessment", summary="Assess against the criteria")
async def assess(
    invitation_id: str, body: AssessmentCreate, uow: UowDep, clock: ClockDep
) -> InvitationPublic:
    cmd = handlers.AssessInvitation(
        invitation_id=invitation_id,
        verdicts={c: CriterionVerdict(v.verdict, v.note) for c, v in body.verdicts.items()},
        assessed_by=body.assessed_by,
    )
    return InvitationPublic.of(await handlers.assess_invitation(cmd, uow, clock))


@router.post("/{invitation_id}/decision", summary="Accept or decline, with a rationale")
async def decide(
    invitation_id: str, body: DecisionCreate, uow: UowDep, clock: ClockDep
) -> InvitationPublic:
    cmd = handlers.DecideInvitation(
        invitation_id=invitation_id,
        accept=body.outcome == "accept",
        rationale=body.rationale,
        decided_by=body.decided_by,
        overrides=dict(body.overrides),
        commitment_years=body.commitment_years,
    )
    return InvitationPublic.of(await handlers.decide_invitation(cmd, uow, clock))


@router.post("/{invitation_id}/withdrawal", summary="The inviter withdraws the invitation")
async def withdraw(
    invitation_id: str, body: WithdrawalCreate, uow: UowDep, clock: ClockDep
) -> InvitationPublic:
    cmd = handlers.WithdrawInvitation(invitation_id=invitation_id, reason=body.reason)
    return InvitationPublic.of(await handlers.withdraw_invitation(cmd, uow, clock))
