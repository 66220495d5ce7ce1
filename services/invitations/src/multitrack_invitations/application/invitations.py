"""Use cases of the invitations service; HTTP routes call these and nothing else.

Each takes its caller and asks the one access policy: coordinators of the owning organization
receive, assess, decide and withdraw; any platform role reads what its organization may see.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from multitrack_invitations.application.ports import InvitationFilter, InvitationsUoW
from multitrack_invitations.domain import lessons
from multitrack_invitations.domain.criteria import AssessmentCriterion, in_force
from multitrack_invitations.domain.invitation import (
    Assessment,
    CriterionVerdict,
    Decision,
    Invitation,
    Inviter,
)
from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_shared.auth.policy import (
    changeable,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import DomainError
from multitrack_shared.events import invitations as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class InvitationView:
    """An invitation as read, with the lessons its assessment shows (computed on read, so a
    retired lesson is gone and a revised one shows its latest wording)."""

    invitation: Invitation
    matching_lessons: list[LessonMatch] = field(default_factory=list)


@dataclass(frozen=True)
class ReceiveInvitation:
    visibility: str
    inviter: Inviter
    conflict: ConflictDescription
    support_requested: str
    channel: str
    other_parties_aware: bool | None
    arrived_on: date | None = None


@dataclass(frozen=True)
class AssessInvitation:
    invitation_id: str
    verdicts: dict[str, CriterionVerdict]
    assessed_by: str
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class DecideInvitation:
    invitation_id: str
    accept: bool
    rationale: str
    decided_by: str
    overrides: dict[str, str]
    commitment_years: int
    precondition: Precondition = ANY_VERSION


@dataclass(frozen=True)
class WithdrawInvitation:
    invitation_id: str
    reason: str | None
    precondition: Precondition = ANY_VERSION


async def receive_invitation(
    cmd: ReceiveInvitation, caller: Principal, uow: InvitationsUoW, clock: Clock
) -> InvitationView:
    require_role(caller, Role.coordinator)
    owner = owner_of_new_record(caller)
    invitation = Invitation.receive(
        id=str(uuid.uuid4()),
        owner_org=owner,
        visibility=cmd.visibility,
        inviter=cmd.inviter,
        conflict=cmd.conflict,
        support_requested=cmd.support_requested,
        channel=cmd.channel,
        received_at=clock(),
        arrived_on=cmd.arrived_on,
        other_parties_aware=cmd.other_parties_aware,
    )
    async with uow:
        await _require_shared_conflict(uow, cmd.conflict, caller)
        await uow.invitations.add(invitation)
        uow.publish(
            events.InvitationReceivedV2(
                invitation_id=invitation.id,
                ownership=_ownership(invitation),
                inviter=_inviter(invitation),
                conflict=_conflict(invitation),
                received_at=invitation.received_at,
            )
        )
        await uow.commit()
    return InvitationView(invitation)


async def assess_invitation(
    cmd: AssessInvitation, caller: Principal, uow: InvitationsUoW, clock: Clock
) -> InvitationView:
    async with uow:
        invitation = await changeable_invitation(uow, cmd.invitation_id, caller, cmd.precondition)
        criteria = in_force(await uow.criteria.changed())
        invitation.assess(Assessment(cmd.verdicts, cmd.assessed_by, clock()), criteria)
        await uow.invitations.save(invitation)
        assert invitation.assessment is not None
        uow.publish(
            events.InvitationAssessed(
                invitation_id=invitation.id,
                verdicts={c: v.verdict.value for c, v in cmd.verdicts.items()},
                unmet_criteria=invitation.assessment.unmet,
                assessed_at=invitation.assessment.assessed_at,
            )
        )
        view = await _view(invitation, caller, uow)
        await uow.commit()
    return view


async def decide_invitation(
    cmd: DecideInvitation, caller: Principal, uow: InvitationsUoW, clock: Clock
) -> InvitationView:
    async with uow:
        invitation = await changeable_invitation(uow, cmd.invitation_id, caller, cmd.precondition)
        decision = Decision(
            accepted=cmd.accept,
            rationale=cmd.rationale,
            decided_by=cmd.decided_by,
            decided_at=clock(),
            overrides=cmd.overrides if cmd.accept else {},
            commitment_years=cmd.commitment_years if cmd.accept else None,
        )
        if cmd.accept:
            invitation.accept(decision)
            uow.publish(
                events.InvitationAcceptedV2(
                    invitation_id=invitation.id,
                    ownership=_ownership(invitation),
                    inviter=_inviter(invitation),
                    conflict=_conflict(invitation),
                    support_requested=invitation.support_requested,
                    overridden_criteria=list(decision.overrides),
                    commitment_years=cmd.commitment_years,
                    accepted_at=decision.decided_at,
                )
            )
        else:
            invitation.decline(decision)
            uow.publish(
                events.InvitationDeclinedV2(
                    invitation_id=invitation.id, declined_at=decision.decided_at
                )
            )
        await uow.invitations.save(invitation)
        view = await _view(invitation, caller, uow)
        await uow.commit()
    return view


async def withdraw_invitation(
    cmd: WithdrawInvitation, caller: Principal, uow: InvitationsUoW, clock: Clock
) -> InvitationView:
    async with uow:
        invitation = await changeable_invitation(uow, cmd.invitation_id, caller, cmd.precondition)
        invitation.withdraw(cmd.reason, clock())
        await uow.invitations.save(invitation)
        uow.publish(
            events.InvitationWithdrawnV2(
                invitation_id=invitation.id, withdrawn_at=invitation.withdrawn_at or clock()
            )
        )
        view = await _view(invitation, caller, uow)
        await uow.commit()
    return view


async def criteria_in_force(caller: Principal, uow: InvitationsUoW) -> list[AssessmentCriterion]:
    """What an assessment needs a verdict on, as the consortium last worded it."""
    require_role(caller, *Role)
    async with uow:
        return in_force(await uow.criteria.changed())


async def get_invitation(
    invitation_id: str, caller: Principal, uow: InvitationsUoW
) -> InvitationView:
    async with uow:
        return await _view(await readable_invitation(uow, invitation_id, caller), caller, uow)


async def search_invitations(
    where: InvitationFilter, caller: Principal, uow: InvitationsUoW
) -> list[InvitationView]:
    """The invitations matching ``where`` among those the caller may see, each assessed one
    with the lessons that reach it."""
    scope = scope_of(caller)
    async with uow:
        found = await _matching(where, caller, uow)
        assessed = any(invitation.assessment for invitation in found)
        active = await uow.lessons.active(scope) if assessed else []
    return [
        InvitationView(
            invitation,
            lessons.reaching(invitation.match_context, invitation.owner_org, active)
            if invitation.assessment
            else [],
        )
        for invitation in found
    ]


async def find_invitations(
    where: InvitationFilter, caller: Principal, uow: InvitationsUoW
) -> list[Invitation]:
    """The invitations matching ``where`` among those the caller may see, without lessons."""
    async with uow:
        return await _matching(where, caller, uow)


async def _matching(
    where: InvitationFilter, caller: Principal, uow: InvitationsUoW
) -> list[Invitation]:
    # Scoped in the database, so that no count or page shows another organization's
    # owner-only ones.
    return await uow.invitations.search(replace(where, scope=scope_of(caller)))


async def readable_invitation(
    uow: InvitationsUoW, invitation_id: str, caller: Principal
) -> Invitation:
    """The invitation if the caller may read it; else 404, as for one that does not exist."""
    return readable(
        await uow.invitations.get(invitation_id), caller, _missing(invitation_id), field=FIELD
    )


async def changeable_invitation(
    uow: InvitationsUoW,
    invitation_id: str,
    caller: Principal,
    precondition: Precondition = ANY_VERSION,
) -> Invitation:
    """The invitation if the caller, a coordinator of its organization, may change it, and it
    is still at a version ``precondition`` allows; else 404 (hidden too), 403 or 412."""
    invitation = changeable(
        await uow.invitations.get(invitation_id),
        caller,
        Role.coordinator,
        message=_missing(invitation_id),
        field=FIELD,
    )
    precondition.check(invitation.id, invitation.version)
    return invitation


async def lessons_reaching(
    invitation: Invitation, caller: Principal, uow: InvitationsUoW
) -> list[LessonMatch]:
    """Within an open unit of work: the active lessons that reach ``invitation``, ranked, among
    those both its organization and the caller may see."""
    active = await uow.lessons.active(scope_of(caller))
    return lessons.reaching(invitation.match_context, invitation.owner_org, active)


FIELD = "invitation_id"


def _missing(invitation_id: str) -> str:
    return f"no invitation {invitation_id}"


async def _view(invitation: Invitation, caller: Principal, uow: InvitationsUoW) -> InvitationView:
    """Lessons are shown in the assessment, so only an assessed invitation needs them."""
    if invitation.assessment is None:
        return InvitationView(invitation)
    return InvitationView(invitation, await lessons_reaching(invitation, caller, uow))


async def _require_shared_conflict(
    uow: InvitationsUoW, conflict: ConflictDescription, caller: Principal
) -> None:
    """A named conflict is a shared record the caller may see, in the invitation's country."""
    if conflict.conflict_id is None:
        return
    known = await uow.conflicts.get(conflict.conflict_id)
    if known is None or not scope_of(caller).admits(known.owner_org, known.visibility):
        raise DomainError(
            f"no shared conflict {conflict.conflict_id} is known (register it in the "
            "engagements service first)",
            field="conflict.conflict_id",
            code="unknown_conflict",
        )
    if known.country != conflict.country:
        raise DomainError(
            f"the shared conflict {known.name!r} is in {known.country}, not {conflict.country}",
            field="conflict.country",
            code="conflict_elsewhere",
        )


def _ownership(invitation: Invitation) -> Ownership:
    return Ownership(owner_org=invitation.owner_org, visibility=Visibility(invitation.visibility))


def _inviter(invitation: Invitation) -> events.InviterProfile:
    """Who invited, without the name: an individual may invite."""
    i = invitation.inviter
    return events.InviterProfile(
        kind=i.kind, track=i.track, is_party_to_conflict=i.is_party_to_conflict, side=i.side
    )


def _conflict(invitation: Invitation) -> ConflictContext:
    c = invitation.conflict
    return ConflictContext(
        name=c.name,
        country=c.country,
        region=c.region,
        conflict_type=c.conflict_type,
        phase=c.phase,
        conflict_id=c.conflict_id,
    )
