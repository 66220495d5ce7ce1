"""Request and response bodies of the invitations API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from multitrack_invitations.domain.model import Criterion, Invitation, Status, Verdict
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import CountryCode, Name, ShortCode, Text, TrackNumber


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InviterIn(Strict):
    name: Name = Field(
        description="Name of the inviting body.", examples=["Council of Elders of Montes de María"]
    )
    kind: ShortCode = Field(description="Kind of body.", examples=["community council"])
    track: TrackNumber
    is_party_to_conflict: bool = Field(
        description="Whether the inviter is a party to the conflict."
    )
    side: Name | None = Field(
        default=None, description="Side it stands on.", examples=["rural communities"]
    )


class ConflictIn(Strict):
    name: Name = Field(examples=["Montes de María land conflict"])
    country: CountryCode
    region: Name | None = Field(default=None, examples=["Caribbean region"])
    conflict_type: ShortCode | None = Field(default=None, examples=["land"])
    phase: ShortCode | None = Field(default=None, examples=["post-agreement"])
    description: Text | None = None


class InvitationCreate(Strict):
    owner_org: Name = Field(
        description="Consortium member that receives the invitation.", examples=["imtd"]
    )
    visibility: Visibility = Visibility.consortium
    inviter: InviterIn
    conflict: ConflictIn
    support_requested: Text = Field(examples=["Dialogue facilitation between land claimants"])
    channel: ShortCode = Field(
        default="letter", description="How the invitation arrived.", examples=["letter"]
    )
    other_parties_aware: bool | None = Field(
        default=None, description="Whether the other parties know of the invitation."
    )


class VerdictIn(Strict):
    verdict: Verdict
    note: Text | None = None


class AssessmentCreate(Strict):
    verdicts: dict[Criterion, VerdictIn] = Field(
        description="One verdict per criterion; every criterion is required.",
        examples=[{c.value: {"verdict": "met", "note": "checked"} for c in Criterion}],
    )
    assessed_by: Name = Field(examples=["assessment team"])


class DecisionCreate(Strict):
    outcome: Literal["accept", "decline"]
    rationale: Text = Field(examples=["All criteria met; local partners ready."])
    decided_by: Name = Field(examples=["board"])
    overrides: dict[Criterion, Text] = Field(
        default_factory=dict, description="For each unmet criterion, why accepting anyway."
    )
    commitment_years: int = Field(default=5, ge=5, le=50, description="At least five years.")


class WithdrawalCreate(Strict):
    reason: Text | None = None


class VerdictOut(BaseModel):
    verdict: Verdict
    note: str | None


class AssessmentOut(BaseModel):
    verdicts: dict[Criterion, VerdictOut]
    unmet: list[Criterion]
    assessed_by: str
    assessed_at: datetime


class DecisionOut(BaseModel):
    outcome: Literal["accept", "decline"]
    rationale: str
    decided_by: str
    decided_at: datetime
    overrides: dict[Criterion, str]
    commitment_years: int | None


class InvitationPublic(BaseModel):
    id: str
    owner_org: str
    visibility: str
    status: Status
    inviter: InviterIn
    conflict: ConflictIn
    support_requested: str
    channel: str
    other_parties_aware: bool | None
    received_at: datetime
    assessment: AssessmentOut | None
    decision: DecisionOut | None
    withdrawal_reason: str | None
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, inv: Invitation) -> InvitationPublic:
        a, d = inv.assessment, inv.decision
        return cls(
            id=inv.id,
            owner_org=inv.owner_org,
            visibility=inv.visibility,
            status=inv.status,
            inviter=InviterIn.model_validate(inv.inviter, from_attributes=True),
            conflict=ConflictIn.model_validate(inv.conflict, from_attributes=True),
            support_requested=inv.support_requested,
            channel=inv.channel,
            other_parties_aware=inv.other_parties_aware,
            received_at=inv.received_at,
            assessment=AssessmentOut(
                verdicts={
                    c: VerdictOut(verdict=v.verdict, note=v.note) for c, v in a.verdicts.items()
                },
                unmet=a.unmet,
                assessed_by=a.assessed_by,
                assessed_at=a.assessed_at,
            )
            if a
            else None,
            decision=DecisionOut(
                outcome="accept" if d.accepted else "decline",
                rationale=d.rationale,
                decided_by=d.decided_by,
                decided_at=d.decided_at,
                overrides=d.overrides,
                commitment_years=d.commitment_years,
            )
            if d
            else None,
            withdrawal_reason=inv.withdrawal_reason,
            withdrawn_at=inv.withdrawn_at,
        )
