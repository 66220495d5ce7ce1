"""The Do No Harm register of an engagement, published by the engagements service (topic
``multitrack.engagements.v1``, keyed by the engagement's id).

Incidents and risks to participants travel as codes and counts: who is affected by side and
role, never by name; where, what happened and how it is mitigated stay in the engagements
service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.events.engagements import EngagementEvent
from multitrack_shared.events.vocabulary import ParticipantRole


class AffectedCount(BaseModel):
    """How many people of one side and role an incident or risk touches."""

    model_config = ConfigDict(frozen=True)

    side: str | None = Field(default=None, description="Side they stand on, if any.")
    role: ParticipantRole = Field(description="Their role in the engagement's work.")
    count: int = Field(ge=1, description="How many.")


class HarmRecorded(EngagementEvent):
    """An incident that harmed participants, or a risk to them, entered the register."""

    event_type: ClassVar[str] = "multitrack.engagement.harm_recorded.v1"

    entry_id: str = Field(description="Id of the register's entry.")
    kind: str = Field(description="incident (it happened) or risk (it may).")
    category: str = Field(
        description="Kind of harm, a code: e.g. security, stigmatization, retaliation."
    )
    severity: str = Field(description="low, medium or high.")
    noted_on: date = Field(description="When it happened, or when the risk was seen.")
    affected: list[AffectedCount] = Field(description="Who is affected, as counts.")
    activity_ids: list[str] = Field(description="Activities of the engagement it concerns.")
    dividers: int = Field(ge=0, description="Dividers of the conflict analysis it bears on.")
    connectors: int = Field(ge=0, description="Connectors of the conflict analysis it bears on.")
    mitigated: bool = Field(description="Whether a mitigation is recorded.")
    status: str = Field(description="open or closed.")
    recorded_at: datetime = Field(description="When it was recorded.")


class HarmReviewed(EngagementEvent):
    """An entry of the register was reviewed: a mitigation recorded, or the entry closed or
    reopened."""

    event_type: ClassVar[str] = "multitrack.engagement.harm_reviewed.v1"

    entry_id: str = Field(description="Id of the register's entry.")
    mitigated: bool = Field(description="Whether a mitigation is recorded.")
    status: str = Field(description="open or closed.")
    reviewed_at: datetime = Field(description="When it was reviewed.")
