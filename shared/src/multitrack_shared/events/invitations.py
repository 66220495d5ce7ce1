"""Events published by the invitations service (topic ``multitrack.invitations.v1``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.events.common import ConflictContext, Ownership, Track
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import INVITATIONS, TopicSpec


class Inviter(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Name of the inviting body (an organization, not a person).")
    kind: str = Field(description="Kind of body, e.g. government, civil society, religious body.")
    track: Track = Field(
        ge=1, le=9, description="Track of multi-track diplomacy the inviter works in."
    )
    is_party_to_conflict: bool = Field(
        description="Whether the inviter is a party to the conflict."
    )
    side: str | None = Field(
        default=None, description="Side of the conflict the inviter stands on."
    )


class InvitationEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = INVITATIONS
    key_field: ClassVar[str] = "invitation_id"

    invitation_id: str = Field(description="Id of the invitation; the Kafka key.")


class InvitationReceived(InvitationEvent):
    """A party to a conflict has invited the organization."""

    event_type: ClassVar[str] = "multitrack.invitation.received.v1"

    ownership: Ownership = Field(description="Who owns the invitation record.")
    inviter: Inviter = Field(description="Who invites.")
    conflict: ConflictContext = Field(description="The conflict the invitation concerns.")
    support_requested: str = Field(description="What support the inviter asks for.")
    received_at: datetime = Field(description="When the invitation arrived.")


class InvitationAssessed(InvitationEvent):
    """The invitation was assessed against the standard procedures."""

    event_type: ClassVar[str] = "multitrack.invitation.assessed.v1"

    verdicts: dict[str, str] = Field(
        description="Verdict per criterion code: met, unmet or unknown."
    )
    unmet_criteria: list[str] = Field(description="Codes of the criteria judged unmet.")
    assessed_at: datetime = Field(description="When the assessment was recorded.")


class InvitationAccepted(InvitationEvent):
    """The invitation was accepted: an engagement opens from this event and from nothing else."""

    event_type: ClassVar[str] = "multitrack.invitation.accepted.v1"

    ownership: Ownership = Field(description="Who owns the invitation and the engagement it opens.")
    inviter: Inviter = Field(description="Who invited.")
    conflict: ConflictContext = Field(description="The conflict the engagement will work on.")
    support_requested: str = Field(description="What support was asked for.")
    rationale: str = Field(description="Why the invitation was accepted.")
    overridden_criteria: dict[str, str] = Field(
        default_factory=dict,
        description="Unmet criterion code → the reason it was overridden.",
    )
    commitment_years: int = Field(
        ge=MIN_COMMITMENT_YEARS,
        description="Years the organization commits to; never fewer than five.",
    )
    accepted_at: datetime = Field(description="When the decision was taken.")


class InvitationDeclined(InvitationEvent):
    event_type: ClassVar[str] = "multitrack.invitation.declined.v1"

    rationale: str = Field(description="Why the invitation was declined.")
    declined_at: datetime = Field(description="When the decision was taken.")


class InvitationWithdrawn(InvitationEvent):
    event_type: ClassVar[str] = "multitrack.invitation.withdrawn.v1"

    reason: str | None = Field(default=None, description="Why the inviter withdrew, if said.")
    withdrawn_at: datetime = Field(description="When the inviter withdrew.")
