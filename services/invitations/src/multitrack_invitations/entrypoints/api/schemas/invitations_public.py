"""The invitation as a caller may see it: personal and may-name-people fields (marked as in
the request bodies) are the owning organization's, and null for anyone else."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from multitrack_invitations.application.invitations import InvitationView
from multitrack_invitations.domain.invitation import (
    Assessment,
    Decision,
    Invitation,
    Status,
    Verdict,
)
from multitrack_invitations.entrypoints.api.schemas.lessons import LessonMatchPublic, lessons_public
from multitrack_shared.auth.personal import MayNamePeople, Personal, withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal


class VerdictOut(BaseModel):
    verdict: Verdict
    note: Annotated[str | None, MayNamePeople] = Field(description="What the verdict rests on.")


class AssessmentOut(BaseModel):
    verdicts: dict[str, VerdictOut] = Field(description="Verdict per criterion code.")
    unmet: list[str] = Field(description="The criteria judged unmet.")
    essential: list[str] = Field(
        description="The criteria that were essential when it was made: an unknown verdict "
        "on one needs an override reason to accept."
    )
    needing_override: list[str] = Field(
        description="What accepting must override with a reason: the unmet criteria, then "
        "the essential ones left unknown."
    )
    assessed_by: Annotated[str | None, Personal] = Field(description="Who assessed.")
    assessed_at: datetime
    matching_lessons: list[LessonMatchPublic] = Field(
        description="Active lessons learned that reach this invitation, best first; "
        "the same list as GET /invitations/{id}/lessons."
    )

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        """Without its lessons: ``invitation_public`` adds them, as the caller may see them."""
        return cls(
            verdicts={c: VerdictOut(verdict=v.verdict, note=v.note) for c, v in a.verdicts.items()},
            unmet=a.unmet,
            essential=sorted(a.essential),
            needing_override=a.needing_override,
            assessed_by=a.assessed_by,
            assessed_at=a.assessed_at,
            matching_lessons=[],
        )


class DecisionOut(BaseModel):
    outcome: Literal["accept", "decline"]
    rationale: Annotated[str | None, MayNamePeople] = Field(description="Why.")
    decided_by: Annotated[str | None, Personal] = Field(description="Who decided.")
    decided_at: datetime
    overrides: Annotated[dict[str, str] | None, MayNamePeople] = Field(
        description="For each criterion overridden (unmet, or essential and unknown), why."
    )
    commitment_years: int | None

    @classmethod
    def of(cls, d: Decision) -> DecisionOut:
        return cls(
            outcome="accept" if d.accepted else "decline",
            rationale=d.rationale,
            decided_by=d.decided_by,
            decided_at=d.decided_at,
            overrides=d.overrides,
            commitment_years=d.commitment_years,
        )


class InviterOut(BaseModel):
    name: Annotated[str | None, Personal] = Field(
        description="Name of the inviting body, or of the person inviting in their own name."
    )
    kind: str = Field(description="Kind of body.")
    track: int = Field(description="Track of multi-track diplomacy the inviter works in.")
    is_party_to_conflict: bool = Field(description="Whether the inviter is a party.")
    side: str | None = Field(description="Side it stands on.")


class ConflictSummary(BaseModel):
    name: str = Field(description="Name by which the conflict is known.")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country.")
    region: str | None = Field(description="Region within or across countries.")
    conflict_type: str | None = Field(description="Kind of conflict.")
    phase: str | None = Field(description="Phase of the conflict.")


class ConflictOut(ConflictSummary):
    description: Annotated[str | None, MayNamePeople] = Field(
        description="What the conflict is about, in the inviter's and the assessors' words."
    )
    conflict_id: str | None = Field(
        default=None, description="The consortium's shared record of the conflict, if named."
    )


class InvitationPublic(BaseModel):
    """An invitation as its caller may see it: a caller outside the owning organization gets
    its personal and may-name-people fields as null."""

    id: str
    owner_org: str = Field(description="Member organization that received and owns it.")
    visibility: str
    status: Status
    inviter: InviterOut
    conflict: ConflictOut
    support_requested: Annotated[str | None, MayNamePeople] = Field(
        description="What support the inviter asks for."
    )
    channel: str
    arrived_on: date
    other_parties_aware: bool | None
    received_at: datetime
    assessment: AssessmentOut | None
    decision: DecisionOut | None
    withdrawal_reason: Annotated[str | None, MayNamePeople] = Field(
        description="Why the inviter withdrew, if they said."
    )
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, inv: Invitation) -> InvitationPublic:
        """Everything, lessons aside: ``invitation_public`` shapes it for a caller."""
        return cls(
            id=inv.id,
            owner_org=inv.owner_org,
            visibility=inv.visibility,
            status=inv.status,
            inviter=InviterOut.model_validate(inv.inviter, from_attributes=True),
            conflict=ConflictOut.model_validate(inv.conflict, from_attributes=True),
            support_requested=inv.support_requested,
            channel=inv.channel,
            arrived_on=inv.arrived_on,
            other_parties_aware=inv.other_parties_aware,
            received_at=inv.received_at,
            assessment=AssessmentOut.of(inv.assessment) if inv.assessment else None,
            decision=DecisionOut.of(inv.decision) if inv.decision else None,
            withdrawal_reason=inv.withdrawal_reason,
            withdrawn_at=inv.withdrawn_at,
        )


class InvitationSummary(BaseModel):
    """An invitation in brief, as its caller may see it (the inviter's name is the owning
    organization's): the full record is `GET /invitations/{id}`."""

    id: str
    owner_org: str = Field(description="Member organization that received and owns it.")
    visibility: str
    status: Status
    inviter: InviterOut
    conflict: ConflictSummary
    received_at: datetime
    assessed: bool = Field(description="Whether it has been assessed.")


def invitation_summary(inv: Invitation, caller: Principal) -> InvitationSummary:
    shown = {
        name: getattr(inv, name) for name in InvitationSummary.model_fields if name != "assessed"
    }
    summary = InvitationSummary.model_validate(
        shown | {"assessed": inv.assessment is not None}, from_attributes=True
    )
    return withhold_personal(summary, may_see_personal=may_see_personal(caller, inv.owner_org))


def invitation_public(view: InvitationView, caller: Principal) -> InvitationPublic:
    """The invitation as ``caller`` may see it. Its personal data is its organization's; each
    matching lesson's is the lesson's organization's, so each is withheld on its own."""
    inv = view.invitation
    shown = withhold_personal(
        InvitationPublic.of(inv),
        may_see_personal=may_see_personal(caller, inv.owner_org),
    )
    if shown.assessment is None:
        return shown
    lessons = lessons_public(view.matching_lessons)
    assessment = shown.assessment.model_copy(update={"matching_lessons": lessons})
    return shown.model_copy(update={"assessment": assessment})
