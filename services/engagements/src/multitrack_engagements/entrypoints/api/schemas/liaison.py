"""Bodies of the track-one liaison log."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_shared.validation import Day, Name, ShortCode, Strict, Text


class LiaisonCreate(Strict):
    institution: Name = Field(examples=["Gobernación de Bolívar"])
    officials: list[Name] = Field(
        default_factory=list,
        description="Officials met (personal; never published).",
        examples=[["Secretaría del Interior"]],
    )
    kind: ShortCode = Field(
        description="briefing, meeting, correspondence, …", examples=["briefing"]
    )
    held_on: Day = Field(examples=["2025-04-10"])
    summary: Text = Field(examples=["Briefed on the dialogue's progress and next steps."])


class LiaisonPublic(BaseModel):
    id: str
    engagement_id: str
    institution: str
    officials: list[str]
    kind: str
    held_on: date
    summary: str
    recorded_at: datetime

    @classmethod
    def of(cls, entry: LiaisonEntry) -> LiaisonPublic:
        return cls.model_validate({**entry.__dict__, "officials": list(entry.officials)})
