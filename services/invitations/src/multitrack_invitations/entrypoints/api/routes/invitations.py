"""HTTP routes of the invitation: parse, call one use case with its caller, shape the answer
as the caller may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from multitrack_invitations.application import invitations as handlers
from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.invitation import (
    CriterionVerdict,
    Inviter,
    Status,
)
from multitrack_invitations.entrypoints.api.deps import UowDep
from multitrack_invitations.entrypoints.api.schemas.invitations import (
    AssessmentCreate,
    DecisionCreate,
    InvitationCreate,
    WithdrawalCreate,
)
from multitrack_invitations.entrypoints.api.schemas.invitations_public import (
    InvitationPublic,
    InvitationSummary,
    invitation_public,
    invitation_summary,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset, Track
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import CountryCode, Instant, Name, RecordId, ShortCode

router = APIRouter(prefix="/invitations", tags=["invitations"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Receive an invitation",
    responses=tagged(status.HTTP_201_CREATED),
)
async def receive(
    body: InvitationCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> InvitationPublic:
    """Record an invitation as it arrived: who invites (a party names its side), the
    conflict, the support asked for, how and when it arrived, and whether the other parties
    know. The caller's organization receives it and owns it: a coordinator's. Publishes
    `multitrack.invitation.received.v1`. 422 names the field when a rule is broken
    (`side_required`, `arrived_in_future`)."""
    cmd = handlers.ReceiveInvitation(
        visibility=body.visibility.value,
        inviter=Inviter(**body.inviter.model_dump()),
        conflict=ConflictDescription(**body.conflict.model_dump()),
        support_requested=body.support_requested,
        channel=body.channel,
        other_parties_aware=body.other_parties_aware,
        arrived_on=body.arrived_on,
    )
    return _tagged(response, caller, await handlers.receive_invitation(cmd, caller, uow, clock))


def invitation_filter(
    status_: Annotated[Status | None, Query(alias="status", examples=["under_assessment"])] = None,
    country: Annotated[CountryCode | None, Query(description="Country of the conflict.")] = None,
    region: Annotated[Name | None, Query(examples=["Caribbean region"])] = None,
    conflict_type: Annotated[ShortCode | None, Query(examples=["land"])] = None,
    phase: Annotated[ShortCode | None, Query(examples=["post-agreement"])] = None,
    track: Annotated[Track | None, Query(description="Track of the inviter.")] = None,
    inviter_side: Annotated[Name | None, Query(examples=["rural communities"])] = None,
    owner_org: Annotated[
        Name | None, Query(description="Owned by this member organization.", examples=["org-a"])
    ] = None,
    received_from: Annotated[
        Instant | None,
        Query(description="Received at or after.", examples=["2025-01-01T00:00:00Z"]),
    ] = None,
    received_to: Annotated[
        Instant | None,
        Query(description="Received at or before.", examples=["2025-12-31T23:59:59Z"]),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> InvitationFilter:
    """The search's query: the same filters for the full and the brief list."""
    return InvitationFilter(
        status=status_.value if status_ else None,
        country=country,
        region=region,
        conflict_type=conflict_type,
        phase=phase,
        track=track,
        inviter_side=inviter_side,
        owner_org=owner_org,
        received_from=received_from,
        received_to=received_to,
        limit=limit,
        offset=offset,
    )


WhereDep = Annotated[InvitationFilter, Depends(invitation_filter)]


@router.get("", summary="Search invitations")
async def search(caller: CallerDep, uow: UowDep, where: WhereDep) -> list[InvitationPublic]:
    """Invitations matching every filter given, most recently received first, among those the
    caller may see: every consortium-visible one, and its own organization's owner-only ones.
    Region, conflict type, phase and inviter side match whatever the capitalisation; `track`
    is the inviter's track; the received window includes both bounds."""
    found = await handlers.search_invitations(where, caller, uow)
    return [invitation_public(view, caller) for view in found]


@router.get("/summaries", summary="Search invitations, in brief")
async def search_in_brief(
    caller: CallerDep, uow: UowDep, where: WhereDep
) -> list[InvitationSummary]:
    """The same search as `GET /invitations`, each invitation in brief — who invites, the
    conflict, its state and owner — without its assessment, decision or matching lessons: a
    pipeline or a list reads this, and one invitation in full from `GET /invitations/{id}`."""
    found = await handlers.find_invitations(where, caller, uow)
    return [invitation_summary(invitation, caller) for invitation in found]


@router.get("/{invitation_id}", summary="Read one invitation", responses=TAGGED)
async def read(
    invitation_id: RecordId, caller: CallerDep, uow: UowDep, response: Response
) -> InvitationPublic:
    """The invitation with its assessment — including the lessons learned that match it,
    as they stand now — and its decision. 404 when there is no such invitation, or when it
    is another organization's owner-only one."""
    return _tagged(response, caller, await handlers.get_invitation(invitation_id, caller, uow))


@router.put("/{invitation_id}/assessment", summary="Assess against the criteria", responses=TAGGED)
async def assess(
    invitation_id: RecordId,
    body: AssessmentCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> InvitationPublic:
    """Record (or redo, while no decision is taken) one verdict per criterion in force
    (`GET /assessment-criteria`): a criterion left out answers 422 `verdict_missing`, one
    not in force `unknown_criterion`. The assessment keeps which criteria were essential.
    The answer's assessment lists the lessons learned that match the invitation. Publishes
    `multitrack.invitation.assessed.v1`. 409 once decided or withdrawn."""
    cmd = handlers.AssessInvitation(
        invitation_id=invitation_id,
        verdicts={c: CriterionVerdict(v.verdict, v.note) for c, v in body.verdicts.items()},
        assessed_by=body.assessed_by,
        precondition=if_match,
    )
    return _tagged(response, caller, await handlers.assess_invitation(cmd, caller, uow, clock))


@router.post(
    "/{invitation_id}/decision",
    summary="Accept or decline, with a rationale",
    responses=TAGGED,
)
async def decide(
    invitation_id: RecordId,
    body: DecisionCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> InvitationPublic:
    """Accept (after an assessment) or decline (at any point before a decision), always with a
    rationale. Accepting commits for at least five years, and needs an override reason for
    each unmet criterion and each essential one left unknown (`override_required`).
    Publishes `multitrack.invitation.accepted.v1` — from which, and only which, the
    engagements service opens an engagement — or `multitrack.invitation.declined.v1` with the
    rationale."""
    cmd = handlers.DecideInvitation(
        invitation_id=invitation_id,
        accept=body.outcome == "accept",
        rationale=body.rationale,
        decided_by=body.decided_by,
        overrides=dict(body.overrides),
        commitment_years=body.commitment_years,
        precondition=if_match,
    )
    return _tagged(response, caller, await handlers.decide_invitation(cmd, caller, uow, clock))


@router.post(
    "/{invitation_id}/withdrawal",
    summary="The inviter withdraws the invitation",
    responses=TAGGED,
)
async def withdraw(
    invitation_id: RecordId,
    body: WithdrawalCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> InvitationPublic:
    """The inviter takes the invitation back, with a reason if they give one. Possible while
    received, under assessment, or accepted (an engagement rests on the invitation); a
    declined or already withdrawn invitation answers 409 `invalid_transition`. Publishes
    `multitrack.invitation.withdrawn.v2`, from which the engagements service moves the
    engagement of an accepted invitation to closing (reason `invitation_withdrawn`)."""
    cmd = handlers.WithdrawInvitation(
        invitation_id=invitation_id, reason=body.reason, precondition=if_match
    )
    return _tagged(response, caller, await handlers.withdraw_invitation(cmd, caller, uow, clock))


def _tagged(
    response: Response, caller: Principal, view: handlers.InvitationView
) -> InvitationPublic:
    tag(response, view.invitation.id, view.invitation.version)
    return invitation_public(view, caller)
