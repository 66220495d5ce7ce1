"""Bodies of the conflict analysis.

Who took part and the actors' names are personal (an actor may be a person); causes, dividers
and connectors are free text that may name people. Only the owning organization's people see
them; everyone who may read the engagement sees the sides, tracks and roles.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.application.lookup import Shown
from multitrack_engagements.domain.analysis import ActorRole, ConflictAnalysis
from multitrack_shared.auth.personal import MayNamePeople, Personal, withhold_personal
from multitrack_shared.validation import Day, Name, Strict, Text, TrackNumber

WITHHELD = "Null for callers outside the owning organization."


class ActorIn(Strict):
    name: Annotated[Name, Personal] = Field(
        description="Who the actor is: a group, an institution or a person.",
        examples=["Asociación de Campesinos"],
    )
    side: Name = Field(
        description="Side of the conflict; sides compare case-insensitively.",
        examples=["land claimants"],
    )
    track: TrackNumber
    role: ActorRole = Field(examples=["party"])


class AnalysisCreate(Strict):
    analysed_on: Day = Field(examples=["2025-03-10"])
    participants: Annotated[list[Name], Personal] = Field(
        description="Who took part (personal; never published). At least one.",
        examples=[["María Pérez", "Jorge Díaz"]],
    )
    actors: list[ActorIn] = Field(
        description="At least one actor, with its side.",
        examples=[
            [
                {"name": "Asociación de Campesinos", "side": "land claimants", "track": 4,
                 "role": "party"},
                {"name": "Familias retornadas", "side": "returning families", "track": 4,
                 "role": "party"},
            ]
        ],
    )  # fmt: skip
    causes: Annotated[list[Text], MayNamePeople] = Field(
        default_factory=list, examples=[["Unresolved land titles"]]
    )
    dividers: Annotated[list[Text], MayNamePeople] = Field(
        default_factory=list, examples=[["Competing land claims"]]
    )
    connectors: Annotated[list[Text], MayNamePeople] = Field(
        default_factory=list, examples=[["Shared market town"]]
    )


class ActorOut(BaseModel):
    name: Annotated[str | None, Personal] = Field(description=f"Who the actor is. {WITHHELD}")
    side: str
    track: int
    role: ActorRole


class AnalysisPublic(BaseModel):
    engagement_id: str
    version: int = Field(description="1 for the first analysis, then one more each time.")
    analysed_on: date
    participants: Annotated[list[str] | None, Personal] = Field(
        description=f"Who took part. {WITHHELD}"
    )
    actors: list[ActorOut]
    sides: list[str] = Field(description="The distinct sides of the actors.")
    causes: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    dividers: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    connectors: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    recorded_at: datetime

    @classmethod
    def of(cls, a: ConflictAnalysis) -> AnalysisPublic:
        return cls(
            engagement_id=a.engagement_id,
            version=a.version,
            analysed_on=a.analysed_on,
            participants=list(a.participants),
            actors=[ActorOut.model_validate(x, from_attributes=True) for x in a.actors],
            sides=a.sides,
            causes=list(a.causes),
            dividers=list(a.dividers),
            connectors=list(a.connectors),
            recorded_at=a.recorded_at,
        )


def analyses_shown(shown: Shown[list[ConflictAnalysis]]) -> list[AnalysisPublic]:
    """The analysis versions as their caller may see them: personal data only to its
    organization."""
    return [
        withhold_personal(AnalysisPublic.of(a), may_see_personal=shown.personal)
        for a in shown.records
    ]
