"""Conflicts as shared records, published by the engagements service (topic
``multitrack.engagements.v1``, keyed by the conflict's id).

A conflict is the consortium's common reference: invitations, engagements, analyses and
lessons about the same conflict name it by ``conflict_id``. Its actors travel by side, track
and role only: an actor may be a person, and their names stay in the engagements service.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import ENGAGEMENTS, TopicSpec


class ConflictActorProfile(BaseModel):
    """An actor of the conflict, without its name."""

    model_config = ConfigDict(frozen=True)

    side: str = Field(description="Side of the conflict the actor stands on.")
    track: int = Field(ge=1, le=9, description="Track of multi-track diplomacy it works in.")
    role: str = Field(description="party, stakeholder, spoiler or capacity_for_peace.")


class ConflictEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = ENGAGEMENTS
    key_field: ClassVar[str] = "conflict_id"

    conflict_id: str = Field(description="Id of the shared conflict record; the Kafka key.")
    ownership: Ownership = Field(description="Who registered the conflict, and who sees it.")
    name: str = Field(description="Name by which the conflict is known.")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country.")
    region: str | None = Field(default=None, description="Region within or across countries.")
    conflict_type: str | None = Field(
        default=None, description="Kind of conflict, e.g. ethno-political, land, resource."
    )
    phase: str | None = Field(
        default=None, description="Phase of the conflict, e.g. latent, escalation, post-agreement."
    )
    actors: list[ConflictActorProfile] = Field(
        default_factory=list, description="The conflict's actors, by side, track and role."
    )


class ConflictRegistered(ConflictEvent):
    """A conflict became a shared record of the consortium."""

    event_type: ClassVar[str] = "multitrack.conflict.registered.v1"

    registered_at: datetime = Field(description="When it was registered.")


class ConflictRevised(ConflictEvent):
    """A shared conflict record was revised (its phase moves on, actors appear): the whole
    record as it now is."""

    event_type: ClassVar[str] = "multitrack.conflict.revised.v1"

    revised_at: datetime = Field(description="When it was revised.")
