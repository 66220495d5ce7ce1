"""Request and response bodies of the invitation: intake, assessment, decision, withdrawal,
and the invitation as read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from multitrack_invitations.application.invitations import InvitationView
from multitrack_invitations.domain.invitation import (
    Assessment,
    Criterion,
    Decision,
    Status,
    Verdict,
)
from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_invitations.entrypoints.api.schemas.lessons import LessonMatchPublic, lessons_public
from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import (
    CommitmentYears,
    CountryCode,
    Day,
    Flag,
    Name,
    ShortCode,
    Strict,
    Text,
    TrackNumber,
)


class InviterIn(Strict):
    name: Name = Field(
        description="Name of the inviting body.", examples=["Council of Elders of Montes de María"]
    )
    kind: ShortCode = Field(description="Kind of body.", examples=["community council"])
    track: TrackNumber
    is_party_to_conflict: Flag = Field(
        description="Whether the inviter is a party to the conflict; a party names its side.",
        examples=[True],
    )
    side: Name | None = Field(
        default=None, description="Side it stands on.", examples=["rural communities"]
    )


class ConflictIn(Strict):
    name: Name = Field(
        description="Name by which the conflict is known.",
        examples=["Montes de María land conflict"],
    )
    country: CountryCode
    region: Name | None = Field(
        default=None,
        description="Region within or across countries, if known.",
        examples=["Caribbean region"],
    )
    conflict_type: ShortCode | None = Field(
        default=None,
        description="Kind of conflict, e.g. ethno-political, land, resource.",
        examples=["land"],
    )
    phase: ShortCode | None = Field(
        default=None,
        description="Phase of the conflict, e.g. latent, escalation, post-agreement.",
        examples=["post-agreement"],
    )
    description: Text | None = Field(
        default=None,
        description="What the conflict is about, in the inviter's and the assessors' words.",
        examples=["Returning families and land claimants dispute holdings abandoned in 2000."],
    )


class InvitationCreate(Strict):
    owner_org: Name = Field(
        description="Consortium member that receives the invitation.", examples=["imtd"]
    )
    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: every member may read it; owner: only the receiving member.",
        examples=["consortium"],
    )
    inviter: InviterIn = Field(
        description="Who invites.",
        examples=[
            {
                "name": "Council of Elders of Montes de María",
                "kind": "community council",
                "track": 4,
                "is_party_to_conflict": True,
                "side": "rural communities",
            }
        ],
    )
    conflict: ConflictIn = Field(
        description="The conflict the invitation concerns.",
        examples=[
            {
                "name": "Montes de María land conflict",
                "country": "CO",
                "region": "Caribbean region",
                "conflict_type": "land",
                "phase": "post-agreement",
            }
        ],
    )
    support_requested: Text = Field(
        description="What support the inviter asks for.",
        examples=["Dialogue facilitation between land claimants"],
    )
    channel: ShortCode = Field(
        default="letter",
        description="How the invitation arrived: letter, meeting, email, phone, intermediary, …",
        examples=["letter"],
    )
    arrived_on: Day | None = Field(
        default=None,
        description="When it arrived (e.g. the letter's date); defaults to the day received. "
        "Never later than the day received.",
        examples=["2025-02-27"],
    )
    other_parties_aware: Flag | None = Field(
        default=None,
        description="Whether the other parties know of the invitation; null when not known.",
        examples=[True],
    )


CRITERIA_EXAMPLE = {c.value: {"verdict": "met", "note": "checked"} for c in Criterion}
CRITERIA_EXAMPLE[Criterion.local_partners] = {
    "verdict": "unmet",
    "note": "No local partner in the region yet.",
}


class VerdictIn(Strict):
    verdict: Verdict = Field(description="met, unmet or unknown.", examples=["met"])
    note: Text | None = Field(
        default=None,
        description="What the verdict rests on.",
        examples=["The council is a recognised party to the land dispute."],
    )


class AssessmentCreate(Strict):
    verdicts: dict[Criterion, VerdictIn] = Field(
        description="One verdict per criterion; every criterion is required.",
        # Refused by the domain (`verdict_missing`) when one is left out; the schema says so.
        json_schema_extra={"required": [criterion.value for criterion in Criterion]},
        examples=[CRITERIA_EXAMPLE],
    )
    assessed_by: Name = Field(
        description="Who assessed: a team or role, not a person's name.",
        examples=["assessment team"],
    )


class DecisionCreate(Strict):
    outcome: Literal["accept", "decline"] = Field(
        description="accept (opens an engagement) or decline.", examples=["accept"]
    )
    rationale: Text = Field(
        description="Why: recorded and published with the decision, whichever the outcome.",
        examples=["All criteria met; local partners ready."],
    )
    decided_by: Name = Field(description="Who decided: a body or role.", examples=["board"])
    overrides: dict[Criterion, Text] = Field(
        default_factory=dict,
        description="For each unmet criterion, why accepting anyway; only for acceptance.",
        examples=[{"local_partners": "A consortium member brings its own local partner."}],
    )
    commitment_years: CommitmentYears = Field(
        default=MIN_COMMITMENT_YEARS,
        description="Years of commitment when accepting: at least five.",
        examples=[5],
    )


class WithdrawalCreate(Strict):
    reason: Text | None = Field(
        default=None,
        description="Why the inviter withdrew, if they said.",
        examples=["Talks moved abroad."],
    )


class VerdictOut(BaseModel):
    verdict: Verdict
    note: str | None


class AssessmentOut(BaseModel):
    verdicts: dict[Criterion, VerdictOut]
    unmet: list[Criterion]
    assessed_by: str
    assessed_at: datetime
    matching_lessons: list[LessonMatchPublic] = Field(
        description="Active lessons learned that reach this invitation, best first; "
        "the same list as GET /invitations/{id}/lessons."
    )

    @classmethod
    def of(cls, a: Assessment, lessons: list[LessonMatch]) -> AssessmentOut:
        return cls(
            verdicts={c: VerdictOut(verdict=v.verdict, note=v.note) for c, v in a.verdicts.items()},
            unmet=a.unmet,
            assessed_by=a.assessed_by,
            assessed_at=a.assessed_at,
            matching_lessons=lessons_public(lessons),
        )


class DecisionOut(BaseModel):
    outcome: Literal["accept", "decline"]
    rationale: str
    decided_by: str
    decided_at: datetime
    overrides: dict[Criterion, str]
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


class InvitationPublic(BaseModel):
    id: str
    owner_org: str
    visibility: str
    status: Status
    inviter: InviterIn
    conflict: ConflictIn
    support_requested: str
    channel: str
    arrived_on: date
    other_parties_aware: bool | None
    received_at: datetime
    assessment: AssessmentOut | None
    decision: DecisionOut | None
    withdrawal_reason: str | None
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, view: InvitationView) -> InvitationPublic:
        inv = view.invitation
        return cls(
            id=inv.id,
            owner_org=inv.owner_org,
            visibility=inv.visibility,
            status=inv.status,
            inviter=InviterIn.model_validate(inv.inviter, from_attributes=True),
            conflict=ConflictIn.model_validate(inv.conflict, from_attributes=True),
            support_requested=inv.support_requested,
            channel=inv.channel,
            arrived_on=inv.arrived_on,
            other_parties_aware=inv.other_parties_aware,
            received_at=inv.received_at,
            assessment=AssessmentOut.of(inv.assessment, view.matching_lessons)
            if inv.assessment
            else None,
            decision=DecisionOut.of(inv.decision) if inv.decision else None,
            withdrawal_reason=inv.withdrawal_reason,
            withdrawn_at=inv.withdrawn_at,
        )
