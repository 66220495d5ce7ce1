"""Bodies of the conflict analysis."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.domain.analysis import ActorRole, ConflictAnalysis
from multitrack_shared.validation import Day, Name, Strict, Text, TrackNumber


class ActorIn(Strict):
    name: Name = Field(description="Who the actor is.", examples=["Asociación de Campesinos"])
    side: Name = Field(
        description="Side of the conflict; sides compare case-insensitively.",
        examples=["land claimants"],
    )
    track: TrackNumber
    role: ActorRole = Field(examples=["party"])


class AnalysisCreate(Strict):
    analysed_on: Day = Field(examples=["2025-03-10"])
    participants: list[Name] = Field(
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
    causes: list[Text] = Field(default_factory=list, examples=[["Unresolved land titles"]])
    dividers: list[Text] = Field(default_factory=list, examples=[["Competing land claims"]])
    connectors: list[Text] = Field(default_factory=list, examples=[["Shared market town"]])


class ActorOut(BaseModel):
    name: str
    side: str
    track: int
    role: ActorRole


class AnalysisPublic(BaseModel):
    engagement_id: str
    version: int = Field(description="1 for the first analysis, then one more each time.")
    analysed_on: date
    participants: list[str]
    actors: list[ActorOut]
    sides: list[str] = Field(description="The distinct sides of the actors.")
    causes: list[str]
    dividers: list[str]
    connectors: list[str]
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
