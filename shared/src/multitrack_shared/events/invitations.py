"""Events published by the invitations service (topic ``multitrack.invitations.v1``).

Who invited is told by kind, track and side, never by name (an individual may invite); the
assessment's notes, the decision's rationale, the reasons of overrides and of a withdrawal stay
in the invitations service. The ``.v1`` versions carried them: they are superseded by ``.v2``
and kept only so that records already on the topic still decode.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.events.common import ConflictContext, Ownership, Track
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import INVITATIONS, TopicSpec


class InviterProfile(BaseModel):
    """Who invites, without their name."""

    model_config = ConfigDict(frozen=True)

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


class Inviter(InviterProfile):
    """Who invites, with their name (``.v1`` events only)."""

    name: Annotated[str, Personal] = Field(
        description="Name of the inviting body; a person's name when an individual invites."
    )


class InvitationEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = INVITATIONS
    key_field: ClassVar[str] = "invitation_id"

    invitation_id: str = Field(description="Id of the invitation; the Kafka key.")


SUPPORT_REQUESTED = (
    "What support was asked for and accepted: the engagement's stated purpose (standard 4, no "
    "hidden agenda), which the engagement shows and evaluation's digest repeats. It travels "
    "because it is meant to be read across the consortium, so it is worded to name no one."
)


class InvitationReceivedV2(InvitationEvent):
    """A party to a conflict has invited the organization (the support asked for travels once
    accepted, as the engagement's purpose: until then no consumer needs it)."""

    event_type: ClassVar[str] = "multitrack.invitation.received.v2"

    ownership: Ownership = Field(description="Who owns the invitation record.")
    inviter: InviterProfile = Field(description="Who invites: kind, track and side.")
    conflict: ConflictContext = Field(description="The conflict the invitation concerns.")
    received_at: datetime = Field(description="When the invitation arrived.")


class InvitationReceived(InvitationEvent):
    """Deprecated: superseded by ``multitrack.invitation.received.v2``, which does not name the
    inviter. A party to a conflict has invited the organization."""

    event_type: ClassVar[str] = "multitrack.invitation.received.v1"
    superseded_by: ClassVar[str | None] = InvitationReceivedV2.event_type

    ownership: Ownership = Field(description="Who owns the invitation record.")
    inviter: Inviter = Field(description="Who invites.")
    conflict: ConflictContext = Field(description="The conflict the invitation concerns.")
    support_requested: str = Field(description="What support the inviter asks for.")
    received_at: datetime = Field(description="When the invitation arrived.")


class InvitationAssessed(InvitationEvent):
    """The invitation was assessed against the standard procedures (verdicts only: the
    assessors' notes and names stay in the invitations service)."""

    event_type: ClassVar[str] = "multitrack.invitation.assessed.v1"

    verdicts: dict[str, str] = Field(
        description="Verdict per criterion code: met, unmet or unknown."
    )
    unmet_criteria: list[str] = Field(description="Codes of the criteria judged unmet.")
    assessed_at: datetime = Field(description="When the assessment was recorded.")


class InvitationAcceptedV2(InvitationEvent):
    """The invitation was accepted: an engagement opens from this event and from nothing else."""

    event_type: ClassVar[str] = "multitrack.invitation.accepted.v2"

    ownership: Ownership = Field(description="Who owns the invitation and the engagement it opens.")
    inviter: InviterProfile = Field(description="Who invited: kind, track and side.")
    conflict: ConflictContext = Field(description="The conflict the engagement will work on.")
    support_requested: str = Field(description=SUPPORT_REQUESTED)
    overridden_criteria: list[str] = Field(
        default_factory=list,
        description="Codes of the unmet criteria the decision overrode (the reasons stay in "
        "the invitations service).",
    )
    commitment_years: int = Field(
        ge=MIN_COMMITMENT_YEARS,
        description="Years the organization commits to; never fewer than five.",
    )
    accepted_at: datetime = Field(description="When the decision was taken.")


class InvitationAccepted(InvitationEvent):
    """Deprecated: superseded by ``multitrack.invitation.accepted.v2``, which carries neither
    the inviter's name, the rationale nor the overrides' reasons. The invitation was accepted."""

    event_type: ClassVar[str] = "multitrack.invitation.accepted.v1"
    superseded_by: ClassVar[str | None] = InvitationAcceptedV2.event_type

    ownership: Ownership = Field(description="Who owns the invitation and the engagement it opens.")
    inviter: Inviter = Field(description="Who invited.")
    conflict: ConflictContext = Field(description="The conflict the engagement will work on.")
    support_requested: str = Field(description=SUPPORT_REQUESTED)
    rationale: Annotated[str, MayNamePeople] = Field(description="Why the invitation was accepted.")
    overridden_criteria: Annotated[dict[str, str], MayNamePeople] = Field(
        default_factory=dict,
        description="Unmet criterion code → the reason it was overridden.",
    )
    commitment_years: int = Field(
        ge=MIN_COMMITMENT_YEARS,
        description="Years the organization commits to; never fewer than five.",
    )
    accepted_at: datetime = Field(description="When the decision was taken.")


class InvitationDeclinedV2(InvitationEvent):
    """The invitation was declined (why stays in the invitations service)."""

    event_type: ClassVar[str] = "multitrack.invitation.declined.v2"

    declined_at: datetime = Field(description="When the decision was taken.")


class InvitationDeclined(InvitationEvent):
    """Deprecated: superseded by ``multitrack.invitation.declined.v2``, which carries no
    rationale. The invitation was declined."""

    event_type: ClassVar[str] = "multitrack.invitation.declined.v1"
    superseded_by: ClassVar[str | None] = InvitationDeclinedV2.event_type

    rationale: Annotated[str, MayNamePeople] = Field(description="Why the invitation was declined.")
    declined_at: datetime = Field(description="When the decision was taken.")


class InvitationWithdrawnV2(InvitationEvent):
    """The inviter withdrew the invitation (why stays in the invitations service)."""

    event_type: ClassVar[str] = "multitrack.invitation.withdrawn.v2"

    withdrawn_at: datetime = Field(description="When the inviter withdrew.")


class InvitationWithdrawn(InvitationEvent):
    """Deprecated: superseded by ``multitrack.invitation.withdrawn.v2``, which carries no
    reason. The inviter withdrew the invitation."""

    event_type: ClassVar[str] = "multitrack.invitation.withdrawn.v1"
    superseded_by: ClassVar[str | None] = InvitationWithdrawnV2.event_type

    reason: Annotated[str | None, MayNamePeople] = Field(
        default=None, description="Why the inviter withdrew, if said."
    )
    withdrawn_at: datetime = Field(description="When the inviter withdrew.")
