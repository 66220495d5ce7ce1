"""Response bodies of the engagements API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.domain.model import Engagement, Status


class ConflictOut(BaseModel):
    name: str
    country: str
    region: str | None
    conflict_type: str | None
    phase: str | None


class EngagementPublic(BaseModel):
    id: str
    invitation_id: str = Field(description="The accepted invitation that opened it.")
    owner_org: str
    visibility: str
    purpose: str = Field(description="What the engagement is for, as the inviter asked.")
    status: Status
    conflict: ConflictOut
    inviter_track: int
    start_date: date
    committed_until: date = Field(description="At least five years after the start.")
    opened_at: datetime

    @classmethod
    def of(cls, e: Engagement) -> EngagementPublic:
        return cls(
            id=e.id,
            invitation_id=e.invitation_id,
            owner_org=e.owner_org,
            visibility=e.visibility,
            purpose=e.purpose,
            status=e.status,
            conflict=ConflictOut.model_validate(e.conflict, from_attributes=True),
            inviter_track=e.inviter_track,
            start_date=e.start_date,
            committed_until=e.committed_until,
            opened_at=e.opened_at,
        )
