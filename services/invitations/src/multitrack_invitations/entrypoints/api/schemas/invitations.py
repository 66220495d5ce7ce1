"""Request bodies of the invitation: intake, assessment, decision, withdrawal.

Personal data is marked where it is declared: the inviter's name (nothing tells a body from a
person who invites in their own name, so every inviter's name is treated as one that may be a
person's) and who assessed or decided are ``Personal``; the free text of the conflict's
description, the support asked for, verdict notes, rationales, override reasons and the
withdrawal's reason ``MayNamePeople``. The invitation as read (``invitations_public``) marks
the same fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from multitrack_invitations.domain.invitation import Verdict
from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.events.common import Visibility
from multitrack_shared.reference import ASSESSMENT_CRITERIA
from multitrack_shared.validation import (
    CommitmentYears,
    CountryCode,
    Day,
    Flag,
    Name,
    RecordId,
    ShortCode,
    Strict,
    Text,
    TrackNumber,
    every_key_matches,
)


class InviterIn(Strict):
    name: Annotated[Name, Personal] = Field(
        description="Name of the inviting body, or of the person inviting in their own name.",
        examples=["Council of Elders of Montes de María"],
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
    description: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="What the conflict is about, in the inviter's and the assessors' words.",
        examples=["Returning families and land claimants dispute holdings abandoned in 2000."],
    )
    conflict_id: RecordId | None = Field(
        default=None,
        description="The consortium's shared record of this conflict (registered in the "
        "engagements service, `/conflicts`), in the same country: the engagement the "
        "invitation opens then counts on the conflict's compass.",
        examples=[None],
    )


class InvitationCreate(Strict):
    """An invitation as it arrived; the caller's organization receives it and owns it."""

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
    support_requested: Annotated[Text, MayNamePeople] = Field(
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


CRITERIA_EXAMPLE = {c.code: {"verdict": "met", "note": "checked"} for c in ASSESSMENT_CRITERIA}
CRITERIA_EXAMPLE["local_partners"] = {
    "verdict": "unmet",
    "note": "No local partner in the region yet.",
}

CriterionCode = Annotated[
    str,
    # The pattern leaves no room for spaces or control characters: what it accepts is stored.
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$"),
    Field(description="Code of an assessment criterion.", examples=["local_partners"]),
]


class VerdictIn(Strict):
    verdict: Verdict = Field(description="met, unmet or unknown.", examples=["met"])
    note: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="What the verdict rests on.",
        examples=["The council is a recognised party to the land dispute."],
    )


class AssessmentCreate(Strict):
    verdicts: dict[CriterionCode, VerdictIn] = Field(
        description="One verdict per criterion in force (GET /assessment-criteria), keyed by "
        "its code; every one is required (`verdict_missing`), no other is taken "
        "(`unknown_criterion`).",
        examples=[CRITERIA_EXAMPLE],
        json_schema_extra=every_key_matches,
    )
    assessed_by: Annotated[Name, Personal] = Field(
        description="Who assessed: a team or role, not a person's name.",
        examples=["assessment team"],
    )


def _override_keys_match(schema: dict[str, Any]) -> None:
    """``every_key_matches`` for the overrides, from the model: the field's own schema extra
    holds its personal-data mark, which a callable cannot join."""
    every_key_matches(schema["properties"]["overrides"])


class DecisionCreate(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_override_keys_match)

    outcome: Literal["accept", "decline"] = Field(
        description="accept (opens an engagement) or decline.", examples=["accept"]
    )
    rationale: Annotated[Text, MayNamePeople] = Field(
        description="Why: recorded and published with the decision, whichever the outcome.",
        examples=["All criteria met; local partners ready."],
    )
    decided_by: Annotated[Name, Personal] = Field(
        description="Who decided: a body or role.", examples=["board"]
    )
    overrides: Annotated[dict[CriterionCode, Text], MayNamePeople] = Field(
        default_factory=dict,
        description="For each unmet criterion, and each essential one left unknown, why "
        "accepting anyway; only for acceptance.",
        examples=[{"local_partners": "A consortium member brings its own local partner."}],
    )
    commitment_years: CommitmentYears = Field(
        default=MIN_COMMITMENT_YEARS,
        description="Years of commitment when accepting: at least five.",
        examples=[5],
    )


class WithdrawalCreate(Strict):
    reason: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="Why the inviter withdrew, if they said.",
        examples=["Talks moved abroad."],
    )
