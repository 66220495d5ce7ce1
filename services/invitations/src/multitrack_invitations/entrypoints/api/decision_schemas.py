"""Request and response bodies of the assessment, the decision and the withdrawal."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_invitations.domain.model import Assessment, Criterion, Decision, Verdict
from multitrack_invitations.entrypoints.api.lesson_schemas import LessonMatchPublic, lessons_public
from multitrack_shared.validation import Name, Strict, Text

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
    commitment_years: int = Field(
        default=5,
        ge=5,
        le=50,
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
