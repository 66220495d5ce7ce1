"""Bodies of the track-one liaison log.

The officials met are personal and the summary may name people: only the owning
organization's people see them; everyone who may read the engagement sees the institution,
the kind and the date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.validation import Day, Name, ShortCode, Strict, Text

WITHHELD = "Null for callers outside the owning organization."


class LiaisonCreate(Strict):
    institution: Name = Field(examples=["Gobernación de Bolívar"])
    officials: Annotated[list[Name], Personal] = Field(
        default_factory=list,
        description="Officials met (personal; never published).",
        examples=[["Secretaría del Interior"]],
    )
    kind: ShortCode = Field(
        description="briefing, meeting, correspondence, …", examples=["briefing"]
    )
    held_on: Day = Field(examples=["2025-04-10"])
    summary: Annotated[Text, MayNamePeople] = Field(
        examples=["Briefed on the dialogue's progress and next steps."]
    )


class LiaisonPublic(BaseModel):
    id: str
    engagement_id: str
    institution: str
    officials: Annotated[list[str] | None, Personal] = Field(
        description=f"Officials met. {WITHHELD}"
    )
    kind: str
    held_on: date
    summary: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    recorded_at: datetime

    @classmethod
    def of(cls, entry: LiaisonEntry) -> LiaisonPublic:
        return cls.model_validate({**entry.__dict__, "officials": list(entry.officials)})
