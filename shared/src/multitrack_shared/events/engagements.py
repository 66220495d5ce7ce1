"""Events published by the engagements service (topic ``multitrack.engagements.v1``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import ENGAGEMENTS, TopicSpec


class EngagementEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = ENGAGEMENTS
    key_field: ClassVar[str] = "engagement_id"

    engagement_id: str = Field(description="Id of the engagement; the Kafka key.")


class EngagementOpened(EngagementEvent):
    """An engagement opened from an accepted invitation."""

    event_type: ClassVar[str] = "multitrack.engagement.opened.v1"

    invitation_id: str = Field(description="The accepted invitation the engagement came from.")
    ownership: Ownership = Field(description="Who owns the engagement.")
    conflict: ConflictContext = Field(description="The conflict the engagement works on.")
    inviter_track: int = Field(ge=1, le=9, description="Track of the party that invited.")
    start_date: date = Field(description="First day of the engagement.")
    committed_until: date = Field(description="End of the commitment: at least five years on.")
    opened_at: datetime = Field(description="When the engagement was opened.")
